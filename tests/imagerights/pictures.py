"""Real test pictures: JPEGs drawn with Pillow, IPTC/XMP written with pyexiv2, C2PA signed with c2pa-python
under a throwaway certificate chain made here with `cryptography`."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import c2pa
import pyexiv2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from imagerights.synthetic import photo

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def photo_jpeg(seed: int, **kwargs) -> bytes:
    return jpeg(photo(seed, **kwargs))


def with_iptc_xmp(data: bytes, *, creator: str = "", credit: str = "", copyright_notice: str = "",
                  copyright_owner: str = "", licensor: str = "", web_statement: str = "", source: str = "",
                  digital_source_type: str = "", data_mining: str = "") -> bytes:
    iptc, xmp, structs = {}, {}, {}
    if creator:
        iptc["Iptc.Application2.Byline"] = [creator]
        xmp["Xmp.dc.creator"] = [creator]
    if credit:
        iptc["Iptc.Application2.Credit"] = credit
        xmp["Xmp.photoshop.Credit"] = credit
    if copyright_notice:
        iptc["Iptc.Application2.Copyright"] = copyright_notice
        xmp["Xmp.dc.rights"] = {'lang="x-default"': copyright_notice}
    if source:
        iptc["Iptc.Application2.Source"] = source
    if web_statement:
        xmp["Xmp.xmpRights.WebStatement"] = web_statement
    if digital_source_type:
        xmp["Xmp.Iptc4xmpExt.DigitalSourceType"] = DST + digital_source_type
    if data_mining:
        xmp["Xmp.plus.DataMining"] = data_mining
    if copyright_owner:
        xmp["Xmp.plus.CopyrightOwner"] = "type=Seq"
        structs["Xmp.plus.CopyrightOwner[1]/plus:CopyrightOwnerName"] = copyright_owner
    if licensor:
        xmp["Xmp.plus.Licensor"] = "type=Seq"
        structs["Xmp.plus.Licensor[1]/plus:LicensorName"] = licensor
    with pyexiv2.ImageData(data) as image:
        if iptc:
            image.modify_iptc(iptc)
        if xmp:
            image.modify_xmp(xmp)
        if structs:
            image.modify_xmp(structs)
        return image.get_bytes()


@dataclass(frozen=True)
class SigningChain:
    chain_pem: bytes  # end-entity certificate, then the CA
    key_pem: bytes
    ca_pem: bytes


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])


def signing_chain(common_name: str = "Getty Images Content Credentials", organisation: str = "Getty Images") -> SigningChain:
    """A CA and an end-entity certificate with subject and authority key identifiers and emailProtection."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key, ee_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{organisation} Test Root CA", organisation)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    ee = (x509.CertificateBuilder().subject_name(_name(common_name, organisation)).issuer_name(ca_name)
          .public_key(ee_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
          .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ee_key.public_key()), critical=False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return SigningChain(
        chain_pem=ee.public_bytes(pem) + ca.public_bytes(pem),
        key_pem=ee_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        ca_pem=ca.public_bytes(pem))


def sign_c2pa(data: bytes, chain: SigningChain, *, author: str = "John Moore", holder: str = "Getty Images",
              digital_source_type: str = "digitalCapture", training: str = "notAllowed") -> bytes:
    action = {"action": "c2pa.created", "digitalSourceType": DST + digital_source_type}
    manifest = {
        "claim_generator_info": [{"name": "Newsroom Camera App", "version": "2.1"}],
        "title": "photo.jpg",
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [action, {"action": "c2pa.published"}]}},
            {"label": "stds.schema-org.CreativeWork", "kind": "Json",
             "data": {"@context": "https://schema.org", "@type": "CreativeWork",
                      "author": [{"@type": "Person", "name": author}],
                      "copyrightHolder": {"@type": "Organization", "name": holder}}},
            {"label": "c2pa.training-mining", "data": {"entries": {
                "c2pa.ai_training": {"use": training}, "c2pa.data_mining": {"use": training}}}},
        ],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain.chain_pem, chain.key_pem, None))
    out = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, "image/jpeg", io.BytesIO(data), out)
    return out.getvalue()


def tampered(data: bytes) -> bytes:
    """The same file with a few bytes of its picture changed after signing."""
    changed = bytearray(data)
    for offset in (-400, -300, -200):
        changed[offset] ^= 0xFF
    return bytes(changed)
