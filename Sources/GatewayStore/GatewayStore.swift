// GatewayStore: placeholder until its first type lands.
