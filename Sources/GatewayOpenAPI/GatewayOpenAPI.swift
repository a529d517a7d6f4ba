// GatewayOpenAPI: placeholder until its first type lands.
