// GatewayUpstream: placeholder until its first type lands.
