use super::*;

#[test]
fn defaults_match_the_documented_ones() {
    let config = Config::defaults();
    assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(config.database_url.expose_secret(), "sqlite://skyclust.db");
    assert_eq!(config.environment, Environment::Development);
    assert!(config.jwt_secret.is_none());
    assert!(config.allow_registration);
    assert_eq!(
        (config.rate_limit_anonymous, config.rate_limit_user, config.rate_limit_api_key),
        (100, 1000, 10_000)
    );
    assert!(config.trusted_proxies.is_empty());
}

/// A configuration printed with `{:?}` (a panic message, a debug log) shows no secret.
#[test]
fn secrets_never_appear_in_a_debug_print() {
    let config = Config {
        jwt_secret: Some(SecretString::from("jwt-secret-value-0123456789abcdef".to_owned())),
        encryption_key: Some(SecretString::from("ZW5jcnlwdGlvbi1rZXktdmFsdWU=".to_owned())),
        encryption_old_keys: vec![SecretString::from("1:b2xkLWtleS12YWx1ZQ==".to_owned())],
        redis_url: Some(SecretString::from("redis://:redis-password@cache:6379".to_owned())),
        database_url: SecretString::from("postgres://app:db-password@db/skyclust".to_owned()),
        ..Config::defaults()
    };
    let printed = format!("{config:?}");
    for secret in [
        "jwt-secret-value",
        "ZW5jcnlwdGlvbi1rZXktdmFsdWU",
        "b2xkLWtleS12YWx1ZQ",
        "redis-password",
        "db-password",
    ] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(printed.contains("jwt_ttl_secs"), "the rest is printed: {printed}");
}

#[test]
fn the_metrics_listener_and_the_otlp_endpoint_are_checked() {
    let same = Config { metrics_bind: Some(Config::defaults().bind), ..Config::defaults() };
    let ConfigError(problems) = same.validate().unwrap_err();
    assert!(problems[0].starts_with("SKYCLUST_METRICS_BIND"), "{problems:?}");
    let apart = Config { metrics_bind: Some("127.0.0.1:9464".parse().unwrap()), ..Config::defaults() };
    apart.validate().unwrap();
    let collector =
        Config { otlp_endpoint: Some("grpc://collector:4317".parse().unwrap()), ..Config::defaults() };
    let ConfigError(problems) = collector.validate().unwrap_err();
    assert!(problems[0].starts_with("SKYCLUST_OTLP_ENDPOINT"), "{problems:?}");
}

#[test]
fn defaults_are_valid() {
    Config::defaults().validate().unwrap();
}

#[test]
fn out_of_range_settings_are_refused_with_their_name() {
    let config = Config { jwt_ttl_secs: u64::MAX, rate_limit_window_secs: 0, ..Config::defaults() };
    let ConfigError(problems) = config.validate().unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("SKYCLUST_JWT_TTL_SECS must be between 60 and"), "{problems:?}");
    assert!(problems[1].contains("SKYCLUST_RATE_LIMIT_WINDOW_SECS"), "{problems:?}");
}

#[test]
fn production_refuses_trivially_weak_secrets() {
    use base64::Engine;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let production = |jwt: &str, key: &str| Config {
        environment: Environment::Production,
        jwt_secret: Some(jwt.to_owned().into()),
        encryption_key: Some(key.to_owned().into()),
        ..Config::defaults()
    };
    let strong_key = encode(&std::array::from_fn::<u8, 32, _>(|i| (i as u8).wrapping_mul(37)));
    let strong_jwt = "h7Q2-vX9pLm4Rt8Wz1Kc6Ny3Bf5Gd0Js";
    production(strong_jwt, &strong_key).validate().unwrap();
    let problems = production(&"a".repeat(64), &strong_key).validate().unwrap_err().0;
    assert!(problems[0].contains("SKYCLUST_JWT_SECRET is trivially weak"), "{problems:?}");
    let problems = production(strong_jwt, &encode(&[0; 32])).validate().unwrap_err().0;
    assert!(problems[0].contains("SKYCLUST_ENCRYPTION_KEY is trivially weak"), "{problems:?}");

    // The GCP bearer token never crosses a network in the clear.
    let gcp = |endpoint: &str| Config {
        gcp_endpoint_url: Some(endpoint.to_owned()),
        ..production(strong_jwt, &strong_key)
    };
    gcp("https://compute.internal.example/").validate().unwrap();
    gcp("http://127.0.0.1:9090/").validate().unwrap();
    let problems = gcp("http://compute.internal.example/").validate().unwrap_err().0;
    assert!(problems[0].contains("SKYCLUST_GCP_ENDPOINT_URL must be https://"), "{problems:?}");
    let problems = gcp("http://localhost.example.com/").validate().unwrap_err().0;
    assert!(problems[0].contains("must be https://"), "{problems:?}");
    assert!(gcp("ftp://x").validate().is_err());
    // Nor Azure's, nor the client secret sent to the authority.
    let azure = |endpoint: &str, authority: &str| Config {
        azure_endpoint_url: Some(endpoint.to_owned()),
        azure_authority_url: Some(authority.to_owned()),
        ..production(strong_jwt, &strong_key)
    };
    azure("https://management.usgovcloudapi.net/", "https://login.microsoftonline.us/").validate().unwrap();
    azure("http://[::1]:8443/", "http://localhost:9000").validate().unwrap();
    let problems = azure("https://management.azure.com/", "http://login.example/").validate().unwrap_err().0;
    assert_eq!(problems, ["SKYCLUST_AZURE_AUTHORITY_URL must be https:// in production (or on loopback)"]);
    let problems = azure("https://", "https://login.microsoftonline.com/").validate().unwrap_err().0;
    assert!(problems[0].starts_with("SKYCLUST_AZURE_ENDPOINT_URL must be an http(s) URL"), "{problems:?}");
}

#[test]
fn development_mode_stays_on_loopback_unless_allowed() {
    let public = Config { bind: "0.0.0.0:8080".parse().unwrap(), ..Config::defaults() };
    let problems = public.validate().unwrap_err().0;
    assert!(problems[0].contains("SKYCLUST_ENV=production"), "says how to run in production: {problems:?}");
    Config { allow_development_on_network: true, ..public.clone() }.validate().unwrap();
    Config { bind: "[::1]:8080".parse().unwrap(), ..Config::defaults() }.validate().unwrap();
    let production = Config {
        environment: Environment::Production,
        jwt_secret: Some("h7Q2-vX9pLm4Rt8Wz1Kc6Ny3Bf5Gd0Js".into()),
        ..public
    };
    production.validate().unwrap();
}

#[test]
fn flags_parse() {
    let config = Config::try_parse_from([
        "skyclust-server",
        "--bind",
        "0.0.0.0:9000",
        "--env",
        "production",
        "--allow-registration",
        "false",
        "--trusted-proxies",
        "10.0.0.1,::1",
    ])
    .unwrap();
    assert_eq!(config.bind.port(), 9000);
    assert_eq!(config.environment, Environment::Production);
    assert!(!config.allow_registration);
    assert_eq!(config.trusted_proxies.len(), 2);
}
