//! The socket shared by tungstenite's control frames and Confab's own text frames:
//! they must never interleave inside a frame.

mod support;
use futures_util::{SinkExt, StreamExt};
use support::{PATIENCE, Server};
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

struct Reader {
    ws: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
}

/// A client with a 4 KiB receive buffer, so the server's writes to it block often:
/// that is when a control reply can be left half written.
async fn small_window_client(server: &Server) -> Reader {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket.connect(server.addr.parse().unwrap()).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(server.url("/"), MaybeTlsStream::Plain(tcp))
        .await
        .unwrap();
    Reader { ws }
}

const BURST: usize = 10_000;

#[tokio::test]
async fn a_client_pinging_throughout_a_10000_frame_burst_reads_every_frame_intact() {
    let server = Server::start(&[
        "--rate-per-sec",
        "1000000",
        "--rate-burst",
        "1000000",
        "--store-queue",
        "20000",
        "--send-queue",
        "20000",
    ]);
    let mut reader = small_window_client(&server).await;
    let mut writer = server.join().await;
    let sending = tokio::spawn(async move {
        for i in 0..BURST {
            let frame = format!(r#"{{"type":"message","content":"burst {i}"}}"#);
            writer.ws.feed(Message::text(frame)).await.unwrap();
        }
        writer.ws.flush().await.unwrap();
        writer // kept open until the reader is done
    });
    let (mut next, mut pings, mut pongs) = (0, 0u32, 0u32);
    while next < BURST {
        let read = tokio::time::timeout(PATIENCE, reader.ws.next())
            .await
            .expect("the burst keeps coming")
            .expect("open")
            .expect("every frame is well formed");
        match read {
            Message::Text(text) => {
                let frame: serde_json::Value = serde_json::from_str(&text).expect("intact JSON");
                if frame["type"] == "message" {
                    assert_eq!(
                        frame["content"],
                        format!("burst {next}"),
                        "in order, intact"
                    );
                    next += 1;
                    // A ping after every few frames, all through the burst.
                    if next % 4 == 0 {
                        pings += 1;
                        reader
                            .ws
                            .send(Message::Ping(pings.to_be_bytes().to_vec().into()))
                            .await
                            .unwrap();
                    }
                }
            }
            Message::Pong(payload) => {
                pongs += 1;
                assert_eq!(
                    payload.as_ref(),
                    pongs.to_be_bytes(),
                    "each ping answered, in order"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(pongs > 0, "pongs came back during the burst");
    drop(sending.await.unwrap());
}
