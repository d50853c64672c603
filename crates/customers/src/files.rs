//! The document store (文件存储): uploaded scans and photos kept by their content hash behind
//! one interface, a local folder by default, so the server itself keeps no state once an
//! object store is plugged in.

use std::path::PathBuf;

use kernel::{AppError, AppResult};
use sha2::{Digest, Sha256};

/// The largest document accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Where document bytes live. Keys are the SHA-256 of the content, so storing the same bytes
/// twice keeps one copy.
#[async_trait::async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores `bytes` and returns their key.
    async fn put(&self, bytes: &[u8]) -> AppResult<String>;
    /// The bytes under `key`, or 404.
    async fn get(&self, key: &str) -> AppResult<Vec<u8>>;
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content type told by the first bytes, for the kinds we accept.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A folder with one file per key, fanned out by the key's first two characters.
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    pub fn new(root: impl Into<PathBuf>) -> LocalFileStore {
        LocalFileStore { root: root.into() }
    }

    fn path(&self, key: &str) -> AppResult<PathBuf> {
        if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::not_found("file"));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

#[async_trait::async_trait]
impl FileStore for LocalFileStore {
    async fn put(&self, bytes: &[u8]) -> AppResult<String> {
        let key = content_hash(bytes);
        let path = self.path(&key)?;
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(key);
        }
        let folder = path.parent().expect("a fanned-out path has a folder");
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(AppError::internal)?;
        // Write aside and rename, so a reader never sees half a file.
        let partial = folder.join(format!("{key}.part{}", std::process::id()));
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(AppError::internal)?;
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(AppError::internal)?;
        Ok(key)
    }

    async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(AppError::not_found("file")),
            Err(e) => Err(AppError::internal(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_images_and_pdf() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"hello"), None);
    }

    #[tokio::test]
    async fn stores_by_content_hash() {
        let dir = std::env::temp_dir().join(format!("chedai-files-{}", std::process::id()));
        let store = LocalFileStore::new(&dir);
        let key = store.put(b"%PDF-1.7 test").await.unwrap();
        assert_eq!(key, content_hash(b"%PDF-1.7 test"));
        assert_eq!(store.put(b"%PDF-1.7 test").await.unwrap(), key);
        assert_eq!(store.get(&key).await.unwrap(), b"%PDF-1.7 test");
        assert!(store.get(&"0".repeat(64)).await.is_err());
        assert!(store.get("../etc/passwd").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
