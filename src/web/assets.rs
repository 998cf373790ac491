//! Static files embedded in the binary. Only names that exist in the embedded set are served,
//! so `..` and absolute paths cannot reach the file system.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
#[exclude = "i18n/*"]
#[exclude = "demo/*"]
pub struct Assets;

pub async fn serve(path: web::Path<String>) -> HttpResponse {
    respond(&path)
}

pub async fn favicon() -> HttpResponse {
    respond("img/favicon.svg")
}

fn respond(path: &str) -> HttpResponse {
    match Assets::get(path) {
        Some(file) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            HttpResponse::Ok()
                .content_type(mime.as_ref())
                .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
                .insert_header((
                    header::ETAG,
                    format!("\"{}\"", hex(&file.metadata.sha256_hash()[..8])),
                ))
                .body(file.data.into_owned())
        }
        None => HttpResponse::NotFound()
            .content_type("text/plain")
            .body("not found"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
