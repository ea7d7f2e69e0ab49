//! Machine-readable error codes. An `error` frame's `message` stays the tutorial's
//! human text, so old clients see no change; `code` is what programs match on.

use serde::{Deserialize, Serialize};

/// Why a request was refused, as the optional `code` of an `error` frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, not an object, or no string `type`.
    InvalidFormat,
    UnknownType,
    /// A field is missing or has the wrong type or range.
    InvalidField,
    InvalidName,
    /// Another online user shows the same (or a confusably similar) name.
    NameTaken,
    InvalidContent,
    TooLarge,
    InvalidRoom,
    RoomExists,
    /// No such room, or no such online user.
    NotFound,
    NotInRoom,
    TooManyRooms,
    /// Too many frames, or too many rooms created, in too short a time.
    RateLimited,
    /// The server cannot take the request now; retrying later may work.
    ServerBusy,
    StorageError,
    ServerFull,
    BinaryUnsupported,
    /// Wrong username or password (one code for both, so names cannot be probed).
    InvalidCredentials,
    /// The password is too short or too long.
    InvalidPassword,
    /// No valid session: sign in first (also: guests are not allowed here).
    SignInRequired,
    /// The request body is not the JSON expected, or too large.
    InvalidBody,
    /// An upload is not one of the image types taken (PNG, JPEG, GIF, WebP),
    /// judged by its bytes, whatever its name or declared type.
    UnsupportedType,
    /// The request's `Origin` is not one of the server's.
    ForbiddenOrigin,
    /// Your role may not do this to this target (or post in this read-only room).
    Forbidden,
    /// You are muted: the error's `until` and `seconds_left` say for how long.
    Muted,
    /// This account or address is banned: `until` says how long (absent: for good).
    Banned,
    /// A code this client does not know yet (sent by a newer server).
    #[serde(other)]
    Unknown,
}
