// The most common passwords of at least 12 characters, from public breach corpora, lower-cased.
// Shorter ones are already refused by the length rule.
const COMMON = new Set([
  "123456789012", "1234567890123", "12345678901234", "123456789123", "111111111111", "000000000000",
  "qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
  "passwordpassword", "password1234", "password12345", "password123456", "password123!", "passw0rd1234",
  "iloveyou1234", "abcdefghijkl", "abcd12345678", "abc123456789", "aaaaaaaaaaaa", "letmein12345",
  "welcome12345", "welcome123456", "administrator", "admin1234567", "changeme1234", "changemenow!",
  "football1234", "baseball1234", "superman1234", "trustno1trustno1", "monkey123456", "dragon123456",
  "sunshine1234", "princess1234", "qwertyqwerty", "asdfghjkl123", "asdfasdfasdf", "zxcvbnm12345",
  "1234qwerasdf", "q1w2e3r4t5y6", "correcthorsebatterystaple", "correct horse battery staple",
  "keyport-demo", "keyportkeyport", "mypassword123", "secretpassword", "masterpassword", "p@ssw0rd1234",
]);

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  return COMMON.has(p) || /^(.)\1+$/.test(p) || /^(0123456789|1234567890)+\d*$/.test(p);
}
