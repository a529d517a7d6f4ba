// GatewayRateLimit: placeholder until its first type lands.
