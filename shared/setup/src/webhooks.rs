//! Outgoing webhooks over HTTPS: each notification posted as JSON to every configured channel
//! (an SMS gateway, e-mail, WhatsApp), signed so the receiver can trust it.
//!
//! Headers: `X-Lapor-Delivery` (the delivery's id: the same on every retry, for the receiver
//! to deduplicate), `X-Lapor-Timestamp` (Unix seconds) and `X-Lapor-Signature:
//! sha256=<hex HMAC-SHA256 of "{timestamp}.{body}" with the channel's secret>`; a receiver
//! checks the signature and refuses old timestamps, so a captured call cannot be replayed.

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use lapor_app::notifications::Webhooks;
use sha2::Sha256;

use crate::config::WebhookChannel;

/// How long one call may take: a gateway that hangs must not hold the notifier past its
/// Lambda timeout (infra/template.yaml).
const TIMEOUT: Duration = Duration::from_secs(5);

/// The configured channels, over one HTTPS client.
pub struct HttpWebhooks {
    client: reqwest::Client,
    channels: Vec<WebhookChannel>,
}

impl HttpWebhooks {
    /// Posts to `channels`.
    pub fn new(channels: Vec<WebhookChannel>) -> anyhow::Result<Self> {
        // No redirects: a redirect would resend the payload (a reporter's contact) elsewhere.
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { client, channels })
    }
}

/// The signature of a body sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "sha256={}",
        lapor_app::secrets::hex(&mac.finalize().into_bytes())
    )
}

#[async_trait]
impl Webhooks for HttpWebhooks {
    fn channels(&self) -> Vec<String> {
        self.channels.iter().map(|c| c.name.clone()).collect()
    }

    async fn post(
        &self,
        channel: &str,
        id: &str,
        payload: &serde_json::Value,
    ) -> Result<(), String> {
        let channel = self
            .channels
            .iter()
            .find(|c| c.name == channel)
            .ok_or_else(|| format!("no webhook channel {channel}"))?;
        let body = payload.to_string();
        let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let answer = self
            .client
            .post(&channel.url)
            .header("content-type", "application/json")
            .header("x-lapor-delivery", id)
            .header("x-lapor-timestamp", timestamp.to_string())
            .header(
                "x-lapor-signature",
                signature(&channel.secret, timestamp, &body),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{}: {e}", channel.name))?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(format!("{} answered {}", channel.name, answer.status()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let one = signature("rahasia-gerbang-sms", 1_795_424_400, "{}");
        assert!(one.starts_with("sha256=") && one.len() == 7 + 64);
        assert_ne!(one, signature("rahasia-gerbang-sms", 1_795_424_401, "{}"));
        assert_ne!(one, signature("rahasia-gerbang-sms", 1_795_424_400, "{ }"));
        assert_ne!(one, signature("rahasia-lain-sekali", 1_795_424_400, "{}"));
    }
}
