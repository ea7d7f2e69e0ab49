//! Where uploads live on disk: `<data-dir>/uploads/<id>.<ext>`, one file each,
//! never changed once written.

use confab_shared::attachments::ImageType;
use std::io;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    /// Creates `<data_dir>/uploads` if missing.
    pub fn open(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join("uploads");
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }

    fn path(&self, id: &str, kind: ImageType) -> PathBuf {
        self.dir.join(format!("{id}.{}", kind.extension()))
    }

    /// Writes the file whole and durable before it gets its name, so a crash
    /// never leaves a half-written upload where a reader would find it.
    pub async fn save(&self, id: &str, kind: ImageType, bytes: &[u8]) -> io::Result<()> {
        let partial = self.dir.join(format!(".{id}.partial"));
        let mut file = tokio::fs::File::create(&partial).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&partial, self.path(id, kind)).await
    }

    /// Takes back a file whose upload was not recorded.
    pub async fn remove(&self, id: &str, kind: ImageType) {
        let _ = tokio::fs::remove_file(self.path(id, kind)).await;
    }

    pub async fn open_file(&self, id: &str, kind: ImageType) -> io::Result<tokio::fs::File> {
        tokio::fs::File::open(self.path(id, kind)).await
    }
}
