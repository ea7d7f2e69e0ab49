//! Who may act on whom: pure rules, tested on their own.
//!
//! A role acts only on users below it: a moderator on members and guests, an
//! admin also on moderators, an owner also on admins. Nobody acts on a peer or
//! on themselves, so two moderators cannot mute each other into silence.

use confab_shared::api::Role;

/// Guests rank below every account.
fn rank(role: Option<Role>) -> u8 {
    role.map_or(0, |role| role as u8 + 1)
}

/// Whether `actor` may kick, mute or ban (and lift those from) `target`.
pub fn may_moderate(actor: Option<Role>, target: Option<Role>) -> bool {
    actor.is_some_and(Role::is_staff) && rank(actor) > rank(target)
}

/// Whether `actor` may change an account from role `from` to role `to`. Owners
/// may give any role to anyone else, other owners included; admins may move
/// accounts below them between roles below them.
pub fn may_grant(actor: Option<Role>, from: Role, to: Role) -> bool {
    match actor {
        Some(Role::Owner) => true,
        Some(Role::Admin) => from < Role::Admin && to < Role::Admin,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn each_role_acts_only_below_itself() {
        let roles = [
            None,
            Some(Member),
            Some(Moderator),
            Some(Admin),
            Some(Owner),
        ];
        for actor in roles {
            for target in roles {
                let expected = matches!(
                    (actor, target),
                    (Some(Moderator), None | Some(Member))
                        | (Some(Admin), None | Some(Member | Moderator))
                        | (Some(Owner), None | Some(Member | Moderator | Admin))
                );
                assert_eq!(
                    may_moderate(actor, target),
                    expected,
                    "{actor:?} on {target:?}"
                );
            }
        }
    }

    #[test]
    fn only_owners_and_admins_grant_and_admins_only_below_themselves() {
        assert!(may_grant(Some(Owner), Member, Owner));
        assert!(may_grant(Some(Owner), Admin, Member));
        assert!(may_grant(Some(Admin), Member, Moderator));
        assert!(may_grant(Some(Admin), Moderator, Member));
        assert!(!may_grant(Some(Admin), Member, Admin));
        assert!(!may_grant(Some(Admin), Admin, Member));
        assert!(!may_grant(Some(Moderator), Member, Moderator));
        assert!(!may_grant(Some(Member), Member, Member));
        assert!(!may_grant(None, Member, Moderator));
    }
}
