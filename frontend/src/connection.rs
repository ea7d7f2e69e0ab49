//! The WebSocket to the server: connect, read frames into the model, write what the
//! UI sends, and reconnect with backoff after any drop.

use crate::browser;
use crate::model::Chat;
use confab_shared::client::ClientMessage;
use confab_shared::server::ServerMessage;
use futures::channel::mpsc::{UnboundedSender, unbounded};
use futures::{SinkExt, StreamExt, future};
use gloo_net::websocket::Message;
use gloo_net::websocket::futures::WebSocket;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Connected,
    Disconnected,
}

/// The UI's handle for sending; `send` fails while disconnected.
#[derive(Clone, Copy)]
pub struct Connection {
    pub status: RwSignal<Status>,
    outgoing: StoredValue<Option<UnboundedSender<ClientMessage>>>,
}

impl Connection {
    pub fn send(&self, message: ClientMessage) -> bool {
        self.outgoing.with_value(|tx| {
            tx.as_ref()
                .is_some_and(|tx| tx.unbounded_send(message).is_ok())
        })
    }
}

/// Starts the connection loop; it runs for the life of the page.
pub fn start(chat: RwSignal<Chat>, unread: RwSignal<u32>) -> Connection {
    let connection = Connection {
        status: RwSignal::new(Status::Connecting),
        outgoing: StoredValue::new(None),
    };
    leptos::task::spawn_local(run(connection, chat, unread));
    connection
}

async fn run(connection: Connection, chat: RwSignal<Chat>, unread: RwSignal<u32>) {
    let mut attempt: u32 = 0;
    loop {
        connection.status.set(Status::Connecting);
        let token = chat.with_untracked(|c| c.resume_token.clone());
        if let Ok(socket) = WebSocket::open(&browser::socket_url(token.as_deref())) {
            let (mut sink, mut stream) = socket.split();
            let (tx, mut rx) = unbounded::<ClientMessage>();
            connection.outgoing.set_value(Some(tx));
            let writer = async {
                while let Some(message) = rx.next().await {
                    if sink.send(Message::Text(message.encode())).await.is_err() {
                        break;
                    }
                }
            };
            let reader = async {
                while let Some(Ok(Message::Text(text))) = stream.next().await {
                    // Frames this client does not know (a newer server) are skipped.
                    let Ok(frame) = serde_json::from_str::<ServerMessage>(&text) else {
                        continue;
                    };
                    let Some(applied) = chat.try_update(|c| c.apply(frame)) else {
                        continue;
                    };
                    if applied.welcomed {
                        attempt = 0;
                        connection.status.set(Status::Connected);
                    }
                    for message in applied.send {
                        connection.send(message);
                    }
                    if applied.incoming && browser::page_hidden() {
                        unread.update(|n| *n += 1);
                    }
                }
            };
            futures::pin_mut!(writer, reader);
            future::select(writer, reader).await;
            connection.outgoing.set_value(None);
        }
        let was_connected = connection.status.get_untracked() == Status::Connected;
        connection.status.set(Status::Disconnected);
        if was_connected {
            chat.update(|c| c.connection_lost(browser::now_unix()));
        }
        gloo_timers::future::TimeoutFuture::new(browser::backoff_ms(attempt)).await;
        attempt = attempt.saturating_add(1);
    }
}
