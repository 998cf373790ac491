//! Plain types of the domain (SPEC §2), shared by storage, scoring, import, web and reports.
//! Nothing here knows about actix or diesel.

pub mod audience;
pub mod incident;
pub mod service;
pub mod time;
pub mod timeline;
pub mod user;
pub mod validation;

pub use audience::{Audience, PolicyTargets};
pub use incident::{Incident, IncidentKind, IncidentStatus, Language, Severity};
pub use service::{ServiceEntry, default_catalogue};
pub use timeline::{Channel, Event, EventKind, Mention, Message, MessageKind};
pub use user::{Role, User};
pub use validation::{FieldErrors, Validated};

/// Declares a closed vocabulary stored as text: `as_str`, `FromStr`, `ALL`, serde as the string.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        // By hand: the derive does not see the variants' serde names through the macro.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "'{}' is not one of: {}",
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}
