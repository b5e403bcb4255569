use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::endpoints::TenantId;

/// Outlook allows 4 concurrent requests per app per mailbox; more surface as 429/503
/// `ApplicationThrottled` ("MailboxConcurrency"). One semaphore per (tenant, mailbox), shared by
/// every client of the app, keeps us inside that limit instead of provoking it.
#[derive(Debug)]
pub struct MailboxLimits {
    per_mailbox: usize,
    semaphores: Mutex<HashMap<(TenantId, String), Arc<Semaphore>>>,
}

impl MailboxLimits {
    pub fn new(per_mailbox: usize) -> Self {
        MailboxLimits {
            per_mailbox: per_mailbox.max(1),
            semaphores: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot on `mailbox` (a user id or UPN; case-insensitive).
    pub async fn acquire(&self, tenant: &TenantId, mailbox: &str) -> OwnedSemaphorePermit {
        let semaphore = {
            let mut map = self.semaphores.lock().unwrap_or_else(|p| p.into_inner());
            map.entry((tenant.clone(), mailbox.to_ascii_lowercase()))
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_mailbox)))
                .clone()
        };
        loop {
            // The semaphore is never closed, so acquiring only fails in theory.
            if let Ok(permit) = semaphore.clone().acquire_owned().await {
                return permit;
            }
            tokio::task::yield_now().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn at_most_four_per_mailbox_but_mailboxes_independent() {
        let limits = Arc::new(MailboxLimits::new(4));
        let tenant = TenantId::new("t").unwrap();
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..24 {
            let (limits, tenant, now, peak) =
                (limits.clone(), tenant.clone(), now.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                let mailbox = if i % 2 == 0 { "Alice@x" } else { "bob@x" };
                let _p = limits.acquire(&tenant, mailbox).await;
                if mailbox == "bob@x" {
                    return;
                }
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
                now.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 4);
    }
}
