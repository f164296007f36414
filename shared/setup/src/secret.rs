//! The token secret: given, read from Secrets Manager, or generated once and kept in the data
//! directory so tokens survive restarts.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use lapor_app::{Ids, RandomIds};

use crate::SecretSource;

const FILE: &str = "jwt-secret";

/// The key that signs the URLs of blobs kept in the data directory (the embedded backend),
/// generated there on first use as the token secret is.
pub const BLOB_KEY_FILE: &str = "blob-url-key";

/// The token secrets: the current one, and during a rotation the one before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSecrets {
    pub current: Vec<u8>,
    pub previous: Option<Vec<u8>>,
}

/// The token secrets from their source; `previous` is the configured previous secret (for a
/// given or generated one).
pub async fn load(
    source: &SecretSource,
    previous: Option<&[u8]>,
    data_dir: &Path,
) -> anyhow::Result<TokenSecrets> {
    let given = |current| TokenSecrets {
        current,
        previous: previous.map(<[u8]>::to_vec),
    };
    match source {
        SecretSource::Value(secret) => Ok(given(secret.clone())),
        SecretSource::SecretsManager(arn) => {
            let client = aws_sdk_secretsmanager::Client::new(crate::aws_environment().await);
            from_secrets_manager(&client, arn).await
        }
        SecretSource::DataDir => Ok(given(load_or_create(data_dir)?)),
    }
}

/// Reads the secret's current version from Secrets Manager, and its previous one (the
/// `AWSPREVIOUS` stage a rotation leaves), if it has one.
async fn from_secrets_manager(
    client: &aws_sdk_secretsmanager::Client,
    arn: &str,
) -> anyhow::Result<TokenSecrets> {
    // Both versions at once: a cold start waits for one round trip, not two.
    let (answer, previous) = tokio::join!(
        client.get_secret_value().secret_id(arn).send(),
        client
            .get_secret_value()
            .secret_id(arn)
            .version_stage("AWSPREVIOUS")
            .send(),
    );
    let answer = answer.with_context(|| format!("cannot read the token secret {arn}"))?;
    let current = match answer.secret_string() {
        Some(secret) if secret.len() >= 32 => secret.as_bytes().to_vec(),
        _ => bail!("the token secret {arn} must be a string of at least 32 characters"),
    };
    let previous = match previous {
        Ok(answer) => answer
            .secret_string()
            .filter(|secret| secret.len() >= 32)
            .map(|secret| secret.as_bytes().to_vec()),
        // A secret never rotated has no previous version.
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            None
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("cannot read the previous token secret {arn}"));
        }
    };
    Ok(TokenSecrets { current, previous })
}

/// Reads the token secret from the data dir, or creates it (readable by the owner only).
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    load_or_create_file(data_dir, FILE)
}

/// Reads a secret from the file `name` of the data dir, or creates it (readable by the owner
/// only).
pub fn load_or_create_file(data_dir: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(name);
    if let Ok(secret) = fs::read(&path)
        && secret.len() >= 32
    {
        return Ok(secret);
    }
    // A data directory made here (no embedded backend made it first) is the owner's only, as
    // the embedded backend makes it.
    let mut dir = fs::DirBuilder::new();
    dir.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
    dir.create(data_dir)?;
    let secret: Vec<u8> = RandomIds
        .secret(48)
        .iter()
        .map(|b| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(b & 63)]
        })
        .collect();
    // Written to a temporary file and renamed, so a crash never leaves half a secret.
    let tmp = data_dir.join(format!("{name}.tmp"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(&secret)?;
    file.sync_all()?;
    fs::rename(&tmp, &path)?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};

    fn moto() -> aws_sdk_secretsmanager::Client {
        let config = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(lapor_aws::testing::moto_endpoint())
            .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
            .build();
        aws_sdk_secretsmanager::Client::from_conf(config)
    }

    #[tokio::test]
    async fn the_deployed_secret_is_read_from_secrets_manager() {
        let client = moto();
        let name = format!("lapor-test-{}", std::process::id());
        let long = "k".repeat(48);
        let created = client
            .create_secret()
            .name(&name)
            .secret_string(&long)
            .send()
            .await
            .unwrap();
        let arn = created.arn().unwrap();
        assert_eq!(
            from_secrets_manager(&client, arn).await.unwrap(),
            TokenSecrets {
                current: long.as_bytes().to_vec(),
                previous: None
            }
        );
        // A rotation: the new version is current, the one before it previous.
        let rotated = "r".repeat(48);
        client
            .put_secret_value()
            .secret_id(arn)
            .secret_string(&rotated)
            .send()
            .await
            .unwrap();
        assert_eq!(
            from_secrets_manager(&client, arn).await.unwrap(),
            TokenSecrets {
                current: rotated.as_bytes().to_vec(),
                previous: Some(long.as_bytes().to_vec())
            }
        );
        let short = client
            .create_secret()
            .name(format!("{name}-short"))
            .secret_string("pendek")
            .send()
            .await
            .unwrap();
        assert!(
            from_secrets_manager(&client, short.arn().unwrap())
                .await
                .is_err()
        );
        assert!(
            from_secrets_manager(
                &client,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:none"
            )
            .await
            .is_err()
        );
    }

    #[test]
    fn a_generated_secret_is_kept_in_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        assert!(first.len() >= 32);
        assert_eq!(load_or_create(dir.path()).unwrap(), first);
    }

    #[cfg(unix)]
    #[test]
    fn a_data_dir_made_for_the_secret_is_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("lapor");
        load_or_create(&dir).unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(FILE)), 0o600);
    }
}
