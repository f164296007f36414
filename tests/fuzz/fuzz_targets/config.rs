//! The configuration values lapor reads from its environment. The input is lines of
//! `NAME=VALUE` (a name given twice: the first counts, as a map would keep one). Besides never
//! panicking, a configuration that is accepted keeps the promises its checks make:
//! - a given token secret is at least 32 bytes; the public URL is http(s), without a trailing
//!   slash, and reads back the same;
//! - every webhook channel has its own non-empty name and a secret of at least 16 characters,
//!   and is posted to over https, or over http only to this machine, as the URL parser the HTTP
//!   client uses reads the URL (not as it looks);
//! - the development world never goes with the AWS backend, and every limit is above 0.

#![no_main]

use lapor_config::{Backend, Config, SecretSource};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut vars = HashMap::new();
    for line in text.split('\n') {
        if let Some((name, value)) = line.split_once('=') {
            vars.entry(name.to_string()).or_insert(value.to_string());
        }
    }
    let read = |vars: &HashMap<String, String>| {
        Config::from_lookup(|name| vars.get(name).filter(|v| !v.is_empty()).cloned())
    };
    let Ok(config) = read(&vars) else {
        return;
    };
    if let SecretSource::Value(secret) = &config.jwt_secret {
        assert!(secret.len() >= 32);
    }
    if let Some(url) = &config.public_url {
        assert!(url.starts_with("http://") || url.starts_with("https://"));
        assert!(!url.ends_with('/'));
        let mut again = vars.clone();
        again.insert("LAPOR_PUBLIC_URL".into(), url.clone());
        let again = read(&again).expect("the same configuration with its own public URL");
        assert_eq!(again.public_url.as_ref(), Some(url));
    }
    for (i, channel) in config.webhooks.iter().enumerate() {
        assert!(!channel.name.is_empty());
        assert!(config.webhooks[..i].iter().all(|c| c.name != channel.name));
        assert!(channel.secret.len() >= 16);
        let url = url::Url::parse(&channel.url).expect("a webhook URL parses");
        match url.scheme() {
            "https" => {}
            "http" => {
                let local = match url.host() {
                    Some(url::Host::Domain(name)) => name == "localhost",
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                assert!(local, "{} is posted to in the clear", channel.url);
            }
            other => panic!("{} is posted to over {other}", channel.url),
        }
    }
    if config.dev_seed {
        assert_eq!(config.backend, Backend::Embedded);
    }
    let limits = config.connections;
    assert!(!limits.header_timeout.is_zero() && !limits.body_timeout.is_zero());
    assert!(limits.max_connections > 0);
    assert!(config.jobs_interval.is_none_or(|every| !every.is_zero()));
});
