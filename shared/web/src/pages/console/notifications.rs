//! `/admin/notifikasi`: a staff member's notifications (their agency's, and their own),
//! newest first, marked read once shown.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use lapor_app::notifications::NotificationView;
use lapor_http::AppState;

use super::Staff;
use crate::pages::{Failure, Layout};
use crate::text;

/// The notifications a page shows, and the header counts unread among.
pub const SHOWN: usize = 50;

#[derive(Template, WebTemplate)]
#[template(path = "admin/notifications.html")]
pub struct NotificationsPage {
    layout: Layout,
    notifications: Vec<NotificationView>,
}

impl NotificationsPage {
    fn when(&self, notification: &NotificationView) -> String {
        text::moment(notification.created_at)
    }
}

/// `GET /admin/notifikasi`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<NotificationsPage, Failure> {
    let notifications = state
        .app
        .notifications_seen(&staff.visitor.actor, SHOWN)
        .await?;
    let mut layout = Layout::new("Notifikasi", &staff.visitor);
    // Shown now, so read.
    layout.unread = Some(0);
    Ok(NotificationsPage {
        layout,
        notifications,
    })
}
