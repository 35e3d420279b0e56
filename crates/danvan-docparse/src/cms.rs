//! What a CMS SignedData (RFC 5652, the `/Contents` of a PDF signature) says of its signer: the
//! signing certificate's names, the signing time, the digest that was signed, and whether the
//! signature value over the signed attributes holds with the certificate's key (RSA PKCS #1 v1.5
//! or ECDSA P-256/P-384, by `ring`). Decoding is the `cms` crate's. The certificate itself is
//! not checked against any authority: the chain is not verified.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetStringRef, UtcTime};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
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
    /// Whether the signature value over the signed attributes holds with the signing
    /// certificate's key; `None` when it cannot be checked here (no signed attributes, no
    /// certificate, an algorithm `ring` does not offer).
    pub signature_valid: Option<bool>,
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
            signed.signature_valid = signature_holds(signer, certificate);
        }
    }
    Some(signed)
}

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA1_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const SHA256_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// Whether the signer's signature over its signed attributes (DER, as a SET) holds with the
/// certificate's public key.
fn signature_holds(signer: &cms::signed_data::SignerInfo, certificate: &x509_cert::Certificate) -> Option<bool> {
    use ring::signature as sig;
    let attributes = signer.signed_attrs.as_ref()?.to_der().ok()?;
    let key_info = &certificate.tbs_certificate.subject_public_key_info;
    let key = key_info.subject_public_key.as_bytes()?;
    let digest = signer.digest_alg.oid;
    let algorithm: &dyn sig::VerificationAlgorithm = match (key_info.algorithm.oid, signer.signature_algorithm.oid) {
        (RSA, oid) if oid == SHA256_RSA || (oid == RSA && digest == SHA256) => &sig::RSA_PKCS1_2048_8192_SHA256,
        (RSA, oid) if oid == SHA384_RSA || (oid == RSA && digest == SHA384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        (RSA, oid) if oid == SHA512_RSA || (oid == RSA && digest == SHA512) => &sig::RSA_PKCS1_2048_8192_SHA512,
        (RSA, oid) if oid == SHA1_RSA || (oid == RSA && digest == SHA1) => {
            &sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY
        }
        (EC_KEY, oid) => {
            let curve = key_info
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())?;
            match (curve, oid) {
                (P256, ECDSA_SHA256) => &sig::ECDSA_P256_SHA256_ASN1,
                (P256, ECDSA_SHA384) => &sig::ECDSA_P256_SHA384_ASN1,
                (P384, ECDSA_SHA256) => &sig::ECDSA_P384_SHA256_ASN1,
                (P384, ECDSA_SHA384) => &sig::ECDSA_P384_SHA384_ASN1,
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(
        sig::UnparsedPublicKey::new(algorithm, key)
            .verify(&attributes, signer.signature.as_bytes())
            .is_ok(),
    )
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
