//! TLS with rustls: HTTPS and WSS on the listen port (`--tls-cert`, `--tls-key`),
//! and a certificate that can be replaced while serving.
//!
//! Why a resolver rather than a fixed certificate in the `ServerConfig`: rustls
//! asks [`CertResolver::resolve`] at every handshake, so swapping the key it hands
//! out (on SIGHUP, after a renewal) changes what new connections get without
//! touching the ones already open, which keep the session they negotiated.

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tokio_rustls::TlsAcceptor;

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: rustls::pki_types::pem::Error,
    },
    #[error("{path} holds no PEM certificate")]
    NoCertificate { path: PathBuf },
    #[error("the key in {key} does not fit the certificate in {cert}")]
    Unusable {
        cert: PathBuf,
        key: PathBuf,
        #[source]
        source: rustls::Error,
    },
}

/// Hands out the current certificate and reloads it from its files on demand.
#[derive(Debug)]
pub struct CertResolver {
    cert_path: PathBuf,
    key_path: PathBuf,
    provider: Arc<CryptoProvider>,
    // A std lock: it is held only to clone an `Arc`, never across an await, and
    // rustls calls `resolve` from synchronous code.
    current: RwLock<Arc<CertifiedKey>>,
}

impl CertResolver {
    /// Loads the certificate chain and key, or says which file is wrong.
    pub fn load(cert_path: &Path, key_path: &Path) -> Result<Self, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let current = read_pair(cert_path, key_path, &provider)?;
        Ok(Self {
            cert_path: cert_path.to_owned(),
            key_path: key_path.to_owned(),
            provider,
            current: RwLock::new(Arc::new(current)),
        })
    }

    /// Reads the files again. On error the old certificate stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        let fresh = read_pair(&self.cert_path, &self.key_path, &self.provider)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// The certificate new handshakes get.
    pub fn current(&self) -> Arc<CertifiedKey> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl ResolvesServerCert for CertResolver {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current())
    }
}

fn read_pair(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<CertifiedKey, TlsError> {
    let read_error = |path: &Path| {
        let path = path.to_owned();
        move |source| TlsError::Read { path, source }
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .map_err(read_error(cert))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error(cert))?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: cert.to_owned(),
        });
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(read_error(key))?;
    CertifiedKey::from_der(chain, private, provider).map_err(|source| TlsError::Unusable {
        cert: cert.to_owned(),
        key: key.to_owned(),
        source,
    })
}

/// The acceptor for the listen port: HTTP/1.1 only (a WebSocket upgrade needs
/// it), certificates from `resolver`.
pub fn acceptor(resolver: Arc<CertResolver>) -> TlsAcceptor {
    let provider = resolver.provider.clone();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    TlsAcceptor::from(Arc::new(config))
}

/// Reloads the certificate on every SIGHUP, logging the outcome, for as long as
/// the process runs.
#[cfg(unix)]
pub fn reload_on_hangup(resolver: Arc<CertResolver>) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            match resolver.reload() {
                Ok(()) => tracing::info!("TLS certificate reloaded"),
                Err(error) => {
                    tracing::error!(error = %error, source = ?std::error::Error::source(&error), "TLS certificate not reloaded; the old one stays in use")
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let made = rcgen::generate_simple_self_signed(vec![name.to_owned()]).unwrap();
        let cert = dir.join(format!("{name}.crt"));
        let key = dir.join(format!("{name}.key"));
        std::fs::write(&cert, made.cert.pem()).unwrap();
        std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
        (cert, key)
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("confab-tls-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reload_swaps_the_certificate_and_a_bad_file_keeps_the_old_one() {
        let dir = temp_dir("reload");
        let (cert, key) = write_pair(&dir, "localhost");
        let resolver = CertResolver::load(&cert, &key).unwrap();
        let first = resolver.current().cert[0].clone();

        let (cert2, key2) = write_pair(&dir, "example.test");
        std::fs::copy(&cert2, &cert).unwrap();
        std::fs::copy(&key2, &key).unwrap();
        resolver.reload().unwrap();
        let second = resolver.current().cert[0].clone();
        assert_ne!(first, second, "the renewed certificate is served");

        std::fs::write(&cert, "not a certificate").unwrap();
        let error = resolver.reload().unwrap_err();
        assert!(matches!(error, TlsError::NoCertificate { .. }), "{error}");
        assert_eq!(resolver.current().cert[0], second, "the old one stays");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_key_of_another_certificate_is_refused() {
        let dir = temp_dir("mismatch");
        let (cert, _) = write_pair(&dir, "localhost");
        let (_, other_key) = write_pair(&dir, "other.test");
        let error = CertResolver::load(&cert, &other_key).unwrap_err();
        assert!(matches!(error, TlsError::Unusable { .. }), "{error}");
        let missing = CertResolver::load(&dir.join("missing.crt"), &other_key).unwrap_err();
        assert!(matches!(missing, TlsError::Read { .. }), "{missing}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
