// GatewayPortal: placeholder until its first type lands.
