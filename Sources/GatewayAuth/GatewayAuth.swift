// GatewayAuth: placeholder until its first type lands.
