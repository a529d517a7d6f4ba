// GatewayLogging: placeholder until its first type lands.
