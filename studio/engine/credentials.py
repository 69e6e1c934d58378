"""C2PA Content Credentials for exported images (c2pa-python), with no Django.

Each exported image gets a signed manifest that says it was made with generative AI
(a `c2pa.created` action whose digitalSourceType is the same IPTC term as the XMP
disclosure), names the tool, and lists its ingredients (product photo, logo, library
asset). The signer is the operator's certificate chain and key; in development,
`manage.py c2pa_dev_cert` makes a private root and a signing certificate under it.

Ad platforms and browsers read these credentials; the XMP/IPTC fields stay too (the
manifest is added after them and c2pa keeps the file's other chunks).
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studio.engine.disclosure import Disclosure

TOOL_NAME = "Creative Studio"
MIME_BY_MAGIC = {b"\x89PNG": "image/png", b"\xff\xd8": "image/jpeg"}


@dataclass(frozen=True)
class SigningCredentials:
    cert_chain_pem: bytes  # the signing certificate first, then its issuers
    private_key_pem: bytes
    alg: str = "es256"
    tsa_url: str | None = None

    @classmethod
    def from_files(cls, cert: Path | str, key: Path | str, **kwargs) -> SigningCredentials:
        return cls(Path(cert).read_bytes(), Path(key).read_bytes(), **kwargs)


@dataclass(frozen=True)
class Ingredient:
    title: str
    data: bytes
    relationship: str = "componentOf"


@dataclass
class ManifestReport:
    state: str  # "Trusted", "Valid" or "Invalid"
    manifest: dict
    status_codes: list[str] = field(default_factory=list)

    @property
    def source_types(self) -> list[str]:
        return [
            action.get("digitalSourceType", "")
            for assertion in self.manifest.get("assertions", [])
            if assertion.get("label", "").startswith("c2pa.actions")
            for action in assertion.get("data", {}).get("actions", [])
        ]


def mime_of(data: bytes) -> str:
    for magic, mime in MIME_BY_MAGIC.items():
        if data.startswith(magic):
            return mime
    raise ValueError("Only PNG and JPEG images carry content credentials here.")


def manifest_definition(disclosure: Disclosure, *, title: str, version: str) -> dict:
    return {
        "claim_generator_info": [{"name": TOOL_NAME, "version": version}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": disclosure.source_type,
                            "softwareAgent": {"name": TOOL_NAME, "version": version},
                            "description": disclosure.description,
                        }
                    ]
                },
            }
        ],
    }


def sign_image(
    data: bytes,
    *,
    disclosure: Disclosure,
    credentials: SigningCredentials,
    title: str,
    ingredients: Iterable[Ingredient] = (),
    version: str = "1",
) -> bytes:
    """The same image with a signed C2PA manifest embedded."""
    import c2pa  # native library: loaded only by the process that exports

    info = c2pa.C2paSignerInfo(
        credentials.alg,
        credentials.cert_chain_pem,
        credentials.private_key_pem,
        credentials.tsa_url.encode() if credentials.tsa_url else None,
    )
    mime = mime_of(data)
    with c2pa.Signer.from_info(info) as signer:
        with c2pa.Builder(manifest_definition(disclosure, title=title, version=version)) as b:
            for item in ingredients:
                definition = {"title": item.title, "relationship": item.relationship}
                b.add_ingredient(definition, mime_of(item.data), io.BytesIO(item.data))
            out = io.BytesIO()
            b.sign(signer, mime, io.BytesIO(data), out)
    return out.getvalue()


def read_manifest(data: bytes, *, trust_anchors_pem: bytes | None = None) -> ManifestReport:
    """Validate and read the active manifest; `state` is "Invalid" for a tampered file."""
    import c2pa

    context = None
    if trust_anchors_pem:
        context = c2pa.Context.from_dict({"trust": {"trust_anchors": trust_anchors_pem.decode()}})
    with c2pa.Reader(mime_of(data), io.BytesIO(data), context=context) as reader:
        state = reader.get_validation_state() or "Invalid"
        store = json.loads(reader.json())
    manifest = store.get("manifests", {}).get(store.get("active_manifest"), {})
    codes = [s.get("code", "") for s in store.get("validation_status") or []]
    return ManifestReport(state=state, manifest=manifest, status_codes=codes)


def make_dev_certificate(directory: Path | str, *, organisation: str = TOOL_NAME) -> dict:
    """A development root CA and an ES256 signing certificate issued by it (C2PA
    refuses self-signed end-entity certificates). Returns the written paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{organisation} (development)"),
            ]
        )

    def usage(**on) -> x509.KeyUsage:
        flags = dict.fromkeys(
            (
                "digital_signature content_commitment key_encipherment data_encipherment "
                "key_agreement key_cert_sign crl_sign encipher_only decipher_only"
            ).split(),
            False,
        )
        return x509.KeyUsage(**{**flags, **on})

    now = datetime.datetime.now(datetime.UTC)
    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(name("Development root"))
        .issuer_name(name("Development root"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Content credentials signer"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(digital_signature=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "cert": directory / "signer-chain.pem",
        "key": directory / "signer-key.pem",
        "trust_anchors": directory / "dev-root.pem",
    }
    paths["cert"].write_bytes(cert.public_bytes(pem) + root.public_bytes(pem))
    paths["key"].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths["key"].chmod(0o600)
    paths["trust_anchors"].write_bytes(root.public_bytes(pem))
    return paths
