// TokenService: placeholder until its first type lands.
