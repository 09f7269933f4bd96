// Bus credentials: the trust chain (operator, accounts, scoped signing keys), minting per-cluster users.
export { createBusAuthority, credsFromSeed, roleTemplate, serverAuthConfig, type BusAuthority, type BusAuthorityOptions } from "./authority.js";
export { CredentialIssuer, type MintedUser } from "./issuer.js";
export { issuerFileSchema, parseIssuerFile, type IssuerFile } from "./issuer-file.js";
