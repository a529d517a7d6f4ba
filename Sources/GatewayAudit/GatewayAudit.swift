// GatewayAudit: placeholder until its first type lands.
