// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill
// loaded first (its documented requirement).
import "reflect-metadata";
import { webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

// Passed explicitly so no global crypto provider is set on import.
const crypto = webcrypto;
const EC_KEY: webcrypto.EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING: webcrypto.EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;

/** The SANs every apiserver serving certificate carries. */
export const SERVING_DNS_NAMES = [
  "localhost",
  "kubernetes",
  "kubernetes.default",
  "kubernetes.default.svc",
  "kubernetes.default.svc.cluster.local",
] as const;
export const SERVING_IPS = ["127.0.0.1", "::1"] as const;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

export interface ServingCertOptions {
  commonName: string;
  dnsNames: readonly string[];
  ips: readonly string[];
}

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: [{ CN: [commonName] }],
      notBefore: new Date(now - 60 * 60 * 1000),
      notAfter: new Date(now + 3650 * DAY_MS),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { cert, keys, certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

/** A TLS server certificate signed by `ca`. */
export async function issueServingCert(ca: CertificateAuthority, options: ServingCertOptions): Promise<KeyPairPem> {
  const names: x509.JsonGeneralName[] = [
    ...options.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...options.ips.map((value) => ({ type: "ip" as const, value })),
  ];
  return issue(ca, [{ CN: [options.commonName] }], x509.ExtendedKeyUsage.serverAuth, [
    new x509.SubjectAlternativeNameExtension(names),
  ]);
}

/** A client certificate for Kubernetes: CN = user name, one O per group. */
export async function issueClientCert(ca: CertificateAuthority, user: string, groups: readonly string[]): Promise<KeyPairPem> {
  return issue(ca, [{ CN: [user] }, ...groups.map((group) => ({ O: [group] }))], x509.ExtendedKeyUsage.clientAuth, []);
}

/** A key pair for signing and verifying service-account tokens, as PKCS#8 / SPKI PEM. */
export async function createServiceAccountKeys(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const keys = await generateKeys();
  const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
  return {
    privateKeyPem: await privateKeyPem(keys.privateKey),
    publicKeyPem: x509.PemConverter.encode(spki, "PUBLIC KEY"),
  };
}

/** Paths of the PEM files `writeClusterCerts` writes. */
export interface ClusterCertFiles {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  adminCert: string;
  adminKey: string;
}

export interface ClusterCerts {
  ca: CertificateAuthority;
  /** `admin`, in `system:masters`. */
  admin: KeyPairPem;
  files: ClusterCertFiles;
}

/** A fresh CA, apiserver serving cert, admin client cert and service-account keys, written under `dir`. */
export async function writeClusterCerts(dir: string, clusterName: string): Promise<ClusterCerts> {
  const ca = await createCertificateAuthority(`flotilla-${clusterName}-ca`);
  const [serving, admin, sa] = await Promise.all([
    issueServingCert(ca, { commonName: "kube-apiserver", dnsNames: SERVING_DNS_NAMES, ips: SERVING_IPS }),
    issueClientCert(ca, "admin", ["system:masters"]),
    createServiceAccountKeys(),
  ]);
  const files: ClusterCertFiles = {
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    servingCert: join(dir, "apiserver.crt"),
    servingKey: join(dir, "apiserver.key"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPub: join(dir, "sa.pub"),
    adminCert: join(dir, "admin.crt"),
    adminKey: join(dir, "admin.key"),
  };
  await Promise.all([
    writeFile(files.caCert, ca.certPem),
    writeFile(files.caKey, ca.keyPem, { mode: 0o600 }),
    writeFile(files.servingCert, serving.certPem),
    writeFile(files.servingKey, serving.keyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountKey, sa.privateKeyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountPub, sa.publicKeyPem),
    writeFile(files.adminCert, admin.certPem),
    writeFile(files.adminKey, admin.keyPem, { mode: 0o600 }),
  ]);
  return { ca, admin, files };
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  usage: x509.ExtendedKeyUsage,
  extra: x509.Extension[],
): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject,
      issuer: ca.cert.subjectName,
      notBefore: new Date(now - 60 * 60 * 1000),
      notAfter: new Date(now + 365 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, crypto),
        ...extra,
      ],
    },
    crypto,
  );
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}
