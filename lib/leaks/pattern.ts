/**
 * Keyport's secret key format for secret scanners (GitHub's partner program, gitleaks,
 * trufflehog): `kp_live_` or `kp_test_`, 32 base62 characters, then a 6-character base62 CRC32 of
 * those 32 (the checksum lets a scanner drop near misses without asking). Word boundaries keep a
 * longer token from matching in part. docs/secret-scanning.md gives the same expression.
 */
export const SECRET_PATTERN = "\\bkp_(?:live|test)_[0-9A-Za-z]{38}\\b";
