// GatewayPosix: placeholder until its first type lands.
