//! The WebSocket to the server: connect, read frames into the model, write what the
//! UI sends, and reconnect with backoff after any drop.

use crate::browser;
use crate::model::Chat;
use confab_shared::CLOSE_WILL_RESUME;
use confab_shared::client::ClientMessage;
use confab_shared::server::ServerMessage;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::{SinkExt, StreamExt, future};
use gloo_net::websocket::Message;
use gloo_net::websocket::futures::WebSocket;
use leptos::prelude::*;

/// Why a socket's read and write loops stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// The socket closed or failed.
    Dropped,
    /// The browser went offline.
    Offline,
    /// The UI asked for a new socket.
    Restart,
}

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
    /// Asks the loop to close and connect again at once.
    restart: StoredValue<UnboundedSender<()>>,
}

impl Connection {
    pub fn send(&self, message: ClientMessage) -> bool {
        self.outgoing.with_value(|tx| {
            tx.as_ref()
                .is_some_and(|tx| tx.unbounded_send(message).is_ok())
        })
    }

    /// Closes the socket and opens a new one straight away: after signing in or
    /// out, the next socket carries (or lacks) the session cookie.
    pub fn restart(&self) {
        self.restart.with_value(|tx| drop(tx.unbounded_send(())));
    }
}

/// Starts the connection loop; it runs for the life of the page.
pub fn start(chat: RwSignal<Chat>, unread: RwSignal<u32>) -> Connection {
    let (restart, restarts) = unbounded::<()>();
    let connection = Connection {
        status: RwSignal::new(Status::Connecting),
        outgoing: StoredValue::new(None),
        restart: StoredValue::new(restart),
    };
    leptos::task::spawn_local(run(connection, chat, unread, restarts));
    connection
}

async fn run(
    connection: Connection,
    chat: RwSignal<Chat>,
    unread: RwSignal<u32>,
    mut restarts: UnboundedReceiver<()>,
) {
    // The browser knows when the network goes away (a phone changing networks, a
    // laptop lid): drop the socket at once rather than wait for a heartbeat, and
    // reconnect the moment the network is back.
    let (network_tx, mut network) = unbounded::<bool>();
    let offline_tx = network_tx.clone();
    let _ =
        window_event_listener_untyped("offline", move |_| drop(offline_tx.unbounded_send(false)));
    let _ = window_event_listener_untyped("online", move |_| drop(network_tx.unbounded_send(true)));
    let mut attempt: u32 = 0;
    loop {
        connection.status.set(Status::Connecting);
        let token = chat.with_untracked(|c| c.resume_token.clone());
        if let Ok(socket) = WebSocket::open(&browser::socket_url(token.as_deref())) {
            let (mut sink, mut stream) = socket.split();
            let (tx, mut rx) = unbounded::<ClientMessage>();
            connection.outgoing.set_value(Some(tx));
            let ended = {
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
                        if let Some(notice) = applied.notify
                            && (notice.elsewhere || browser::page_hidden())
                        {
                            crate::notify::show(&notice, chat);
                        }
                    }
                };
                let offline = async { while network.next().await != Some(false) {} };
                let restart = restarts.next();
                futures::pin_mut!(writer, reader, offline);
                let either = future::select(writer, reader);
                match future::select(either, future::select(offline, restart)).await {
                    future::Either::Left(_) => Ended::Dropped,
                    future::Either::Right((future::Either::Left(_), _)) => Ended::Offline,
                    future::Either::Right((future::Either::Right(_), _)) => Ended::Restart,
                }
            };
            connection.outgoing.set_value(None);
            if let Ok(socket) = sink.reunite(stream) {
                match ended {
                    // Tell the server we will be back, so it keeps our session.
                    Ended::Offline => drop(socket.close(Some(CLOSE_WILL_RESUME), Some("offline"))),
                    Ended::Restart => drop(socket.close(Some(1000), Some("signed in or out"))),
                    Ended::Dropped => {}
                }
            }
            if ended == Ended::Restart {
                attempt = 0;
                continue;
            }
        }
        let was_connected = connection.status.get_untracked() == Status::Connected;
        connection.status.set(Status::Disconnected);
        // Kicked or banned: stay away until the user chooses to come back.
        if chat.with_untracked(|c| c.moderation.removed.is_some()) {
            let _ = restarts.next().await;
            attempt = 0;
            continue;
        }
        if was_connected {
            chat.update(|c| c.connection_lost(browser::now_unix()));
        }
        if browser::online() {
            gloo_timers::future::TimeoutFuture::new(browser::backoff_ms(attempt)).await;
            attempt = attempt.saturating_add(1);
        } else {
            while network.next().await != Some(true) {}
            attempt = 0;
        }
    }
}
