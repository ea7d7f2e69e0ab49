//! Reading a server frame: [`ServerMessage`]'s `Deserialize`, written out
//! rather than derived.
//!
//! Why: for an internally tagged enum (`"type"` beside the fields) serde's
//! derive buffers the frame and then builds, for every one of the variants, a
//! visitor of its own for maps and one for sequences, with its own field
//! matching. In the web client that single function was 91 KB of the 943 KB
//! wasm (measured with twiggy on the release build; see BENCHMARKS.md, "Client
//! bundle"). Here the frame is read once into a JSON object, the `type` picks
//! the variant, and each field is read by one shared function per field type.
//!
//! Serializing stays derived, so the wire format is still defined once, by the
//! enum. The test `every_variant_reads_back_as_written` holds the two together:
//! every variant is written by the derive and read back here.

use super::ServerMessage;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::{Map, Value};

impl<'de> Deserialize<'de> for ServerMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Value::Object(map) = Value::deserialize(deserializer)? else {
            return Err(D::Error::custom("a server frame is a JSON object"));
        };
        read(Fields(map)).map_err(D::Error::custom)
    }
}

/// A frame's fields, taken out one by one.
struct Fields(Map<String, Value>);

impl Fields {
    /// A field the variant must have. (An absent `Option` is `None`, as with
    /// the derive.)
    fn take<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, String> {
        let value = self.0.remove(key).unwrap_or(Value::Null);
        serde_json::from_value(value).map_err(|e| format!("field `{key}`: {e}"))
    }

    /// A field that may be left out (`#[serde(default)]`).
    fn take_or_default<T: DeserializeOwned + Default>(
        &mut self,
        key: &'static str,
    ) -> Result<T, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(_) => self.take(key),
        }
    }
}

/// `"type" => Variant { field, …; default field, … }`: the fields after
/// `default` may be absent.
macro_rules! variants {
    ($fields:ident, $kind:expr, $(
        $wire:literal => $variant:ident { $($field:ident),* $(; default $($optional:ident),*)? }
    ),* $(,)?) => {
        match $kind {
            $($wire => ServerMessage::$variant {
                $($field: $fields.take(stringify!($field))?,)*
                $($($optional: $fields.take_or_default(stringify!($optional))?,)*)?
            },)*
            other => return Err(format!("unknown type `{other}`")),
        }
    };
}

fn read(mut fields: Fields) -> Result<ServerMessage, String> {
    let kind: String = fields.take("type")?;
    let f = &mut fields;
    Ok(variants!(f, kind.as_str(),
        "welcome" => Welcome { content, timestamp },
        "users" => Users { content, timestamp, room, total },
        "join" => Join { from_id, from_name, content, timestamp, room },
        "leave" => Leave { from_id, from_name, content, timestamp, room },
        "message" => Message {
            from_id, from_name, content, timestamp, txn_id, id, room, reply_to;
            default attachments
        },
        "history" => History { content, timestamp },
        "rooms" => Rooms { content, timestamp },
        "room_created" => RoomCreated { content, timestamp },
        "room_joined" => RoomJoined { content, timestamp },
        "room_count" => RoomCount { content, timestamp },
        "room_left" => RoomLeft { content, timestamp },
        "name_changed" => NameChanged { content, timestamp },
        "user_renamed" => UserRenamed { from_id, from_name, content, timestamp },
        "private_message" => PrivateMessage { from_id, from_name, content, timestamp, id },
        "private_message_sent" => PrivateMessageSent { to_id, to_name, content, timestamp, id },
        "private_history" => PrivateHistory { content, timestamp },
        "conversations" => Conversations { content, timestamp },
        "stats" => Stats { content, timestamp },
        "kicked" => Kicked { by, reason, timestamp },
        "banned" => Banned { by, reason, until, timestamp },
        "muted" => Muted { by, reason, until, room, timestamp },
        "unmuted" => Unmuted { room, timestamp },
        "typing" => Typing { room, user_id, user_name, timestamp },
        "read" => Read { room, user_id, id, timestamp },
        "reads" => Reads { content, timestamp },
        "message_deleted" => MessageDeleted { room, id, rev, timestamp },
        "message_edited" => MessageEdited { room, id, content, edited_at, rev, timestamp },
        "reaction" => Reaction { room, id, emoji, user_id, on, count, rev, timestamp },
        "role_changed" => RoleChanged { user_id, user_name, role, by, timestamp },
        "moderation" => Moderation { content, timestamp },
        "search_results" => SearchResults { content, timestamp },
        "audit" => Audit { content, timestamp },
        "error" => Error { content, timestamp },
    ))
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
