//! What a CMS SignedData (RFC 5652, the `/Contents` of a PDF signature) says of its signer: the
//! signing certificate's names, the signing time, and the digest that was signed. Decoding is
//! the `cms` crate's; nothing is verified here but the digest, by the caller.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetStringRef, UtcTime};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use x509_cert::name::Name;

/// The digest algorithms a signature may name that can be computed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ORGANISATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

/// What was read from one signature.
#[derive(Debug, Default)]
pub struct Signed {
    pub signer: Option<String>,
    pub organisation: Option<String>,
    /// `dd/mm/yyyy HH:MM:SS (UTC)`.
    pub signed_at: Option<String>,
    pub digest: Option<(Digest, Vec<u8>)>,
}

/// Reads the first signer of a DER-encoded ContentInfo (trailing zero padding allowed).
pub fn read(contents: &[u8]) -> Option<Signed> {
    let mut reader = SliceReader::new(contents).ok()?;
    let info = ContentInfo::decode(&mut reader).ok()?;
    let _ = reader.finish(());
    let data: SignedData = info.content.decode_as().ok()?;
    let signer = data.signer_infos.0.iter().next()?;
    let mut signed = Signed::default();
    let algorithm = match signer.digest_alg.oid {
        oid if oid == SHA1 => Some(Digest::Sha1),
        oid if oid == SHA256 => Some(Digest::Sha256),
        oid if oid == SHA384 => Some(Digest::Sha384),
        oid if oid == SHA512 => Some(Digest::Sha512),
        _ => None,
    };
    for attribute in signer.signed_attrs.iter().flat_map(|a| a.iter()) {
        let Some(value) = attribute.values.iter().next() else {
            continue;
        };
        if attribute.oid == MESSAGE_DIGEST {
            if let (Some(algorithm), Ok(digest)) = (algorithm, value.decode_as::<OctetStringRef<'_>>()) {
                signed.digest = Some((algorithm, digest.as_bytes().to_vec()));
            }
        } else if attribute.oid == SIGNING_TIME
            && let Some(t) = value
                .decode_as::<UtcTime>()
                .map(|t| t.to_date_time())
                .or_else(|_| value.decode_as::<GeneralizedTime>().map(|t| t.to_date_time()))
                .ok()
        {
            signed.signed_at = Some(format!(
                "{:02}/{:02}/{:04} {:02}:{:02}:{:02} (UTC)",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minutes(),
                t.seconds()
            ));
        }
    }
    if let SignerIdentifier::IssuerAndSerialNumber(id) = &signer.sid {
        let certificate = data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .find_map(|choice| match choice {
                CertificateChoices::Certificate(c)
                    if c.tbs_certificate.issuer == id.issuer && c.tbs_certificate.serial_number == id.serial_number =>
                {
                    Some(c)
                }
                _ => None,
            });
        if let Some(certificate) = certificate {
            signed.signer = name_part(&certificate.tbs_certificate.subject, COMMON_NAME);
            signed.organisation = name_part(&certificate.tbs_certificate.subject, ORGANISATION);
        }
    }
    Some(signed)
}

/// The first value of an attribute of a distinguished name, as text.
fn name_part(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| {
            let bytes = atv.value.value();
            match atv.value.tag() {
                Tag::BmpString => {
                    let units: Vec<u16> = bytes
                        .chunks_exact(2)
                        .map(|p| u16::from_be_bytes([p[0], p[1]]))
                        .collect();
                    Some(String::from_utf16_lossy(&units))
                }
                Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString => {
                    Some(String::from_utf8_lossy(bytes).into_owned())
                }
                _ => None,
            }
        })
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The digest of `content` with `algorithm`.
pub fn digest(algorithm: Digest, content: &[u8]) -> Option<Vec<u8>> {
    use sha2::Digest as _;
    Some(match algorithm {
        Digest::Sha1 => sha1::Sha1::digest(content).to_vec(),
        Digest::Sha256 => sha2::Sha256::digest(content).to_vec(),
        Digest::Sha384 => sha2::Sha384::digest(content).to_vec(),
        Digest::Sha512 => sha2::Sha512::digest(content).to_vec(),
    })
}
