// Lesson 18: who may do what.
// Step through with ./toykafka step 18, or open JShell here with jshell/start 18.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.security.*;
import toykafka.broker.quota.*;
import toykafka.lesson18.*;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.*;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// SCRAM-SHA-256 by hand, with nothing but the JDK's HMAC and hash. RFC 7677's own example: the user "user" has
// the password "pencil"; when the credential was made, the broker's side chose a salt and 4096 iterations.
byte[] hmac(byte[] key, byte[] data) throws Exception { Mac mac = Mac.getInstance("HmacSHA256"); mac.init(new SecretKeySpec(key, "HmacSHA256")); return mac.doFinal(data); }
byte[] sha256(byte[] data) throws Exception { return MessageDigest.getInstance("SHA-256").digest(data); }
byte[] utf8(String text) { return text.getBytes(StandardCharsets.UTF_8); }
String base64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }
byte[] xor(byte[] a, byte[] b) { byte[] out = a.clone(); for (int i = 0; i < out.length; i++) out[i] ^= b[i]; return out; }
byte[] saltBytes = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==")
// ==> byte[16] { 91, 109, -103, 104, -99, 18, 53, -114, -20, -96, 75, 20, 18, 54, -6, -127 }

// SaltedPassword = Hi(password, salt, 4096): HMAC 4096 times over, every round XORed in. The broker's
// ScramMechanism computes the same; only this step is slow, and on purpose.
byte[] saltedPassword = ScramMechanism.SCRAM_SHA_256.saltedPassword("pencil", saltBytes, 4096)
// ==> byte[32] { -60, -92, -107, 16, 50, 58, -76, -7, 82, -54, -63, -6, -103, 68, 25, 57, -25, -114, -89, 77, 107, -24, 29, -33, 112, -106, -24, 117, 19, -36, 97, 93 }

// ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key").
byte[] clientKey = hmac(saltedPassword, utf8("Client Key"))
// ==> byte[32] { -90, 15, -55, 35, -42, 126, -122, 68, -87, 45, 22, -71, 110, -38, 94, -12, 101, 107, 12, 114, 92, 72, 67, 116, -66, 37, 83, 85, 118, -103, 110, -117 }
byte[] storedKey = sha256(clientKey)
// ==> byte[32] { 88, 110, 93, -14, -125, -26, -36, -21, 92, 62, 121, 29, -117, -123, 40, -20, 25, 30, 102, 64, 69, -50, -105, 23, -110, -30, -26, -75, -69, 19, -30, -90 }
byte[] serverKey = hmac(saltedPassword, utf8("Server Key"))
// ==> byte[32] { -63, -13, -53, -63, -63, 58, -99, 53, -95, 76, 9, -112, -18, -39, 118, 41, -22, 34, 88, 99, -27, 102, -92, 49, 74, -71, -97, 63, 0, -27, -39, -43 }

// What the broker keeps of the password: the salt, the iterations, StoredKey and ServerKey. Its own
// ScramCredential, made from the same password, holds the same keys: never the password, never ClientKey.
var kept = ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "pencil", saltBytes, 4096)
// ==> ScramCredential[iterations=4096]
Arrays.equals(kept.storedKey(), storedKey) && Arrays.equals(kept.serverKey(), serverKey)
// ==> true

// Now an exchange with the broker's own ScramSaslServer. Its nonces come from a SecureRandom; this one always
// gives sevens, so that the notebook shows the same every run (never outside a notebook).
class Sevens extends SecureRandom { public void nextBytes(byte[] bytes) { Arrays.fill(bytes, (byte) 7); } }
ScramSaslServer server = null;
// ==> null
{ server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, (mechanism, user) -> user.equals("user") ? Optional.of(kept) : Optional.empty(), new Sevens()); }

// The client's first message: no channel binding (n,,), then the user and a nonce of the client's.
String clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO"
// ==> "n=user,r=rOprNGfwEbeRWgbNEkqO"
String serverFirst = new String(server.evaluateResponse(utf8("n,," + clientFirstBare)), StandardCharsets.UTF_8)
// ==> "r=rOprNGfwEbeRWgbNEkqO19vt0m57etfp9n8sdh2jqf35s7,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

// The broker lengthened the nonce with its own and sent the salt and the iterations. The client's final message
// repeats the whole nonce ("biws" is "n,," in base64) and proves it knows the password without sending it:
// ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage), AuthMessage being the messages so far, less the proof.
String withoutProof = "c=biws,r=" + serverFirst.substring(2, serverFirst.indexOf(','))
// ==> "c=biws,r=rOprNGfwEbeRWgbNEkqO19vt0m57etfp9n8sdh2jqf35s7"
String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof
// ==> "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO19vt0m57etfp9n8sdh2jqf35s7,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO19vt0m57etfp9n8sdh2jqf35s7"
String clientProof = base64(xor(clientKey, hmac(storedKey, utf8(authMessage))))
// ==> "O9FMUIVKoJLb7MuekGu8uppSYK/S7Lw2wgarLzZ3fmo="
String serverFinal = new String(server.evaluateResponse(utf8(withoutProof + ",p=" + clientProof)), StandardCharsets.UTF_8)
// ==> "v=lbELsfHj/EsoaSDvSvaKS/obyGVHaArZ2UUAAA9k4xg="

// The broker XORed the signature back out, hashed what was left and found its StoredKey. Its answer is its own
// signature, HMAC(ServerKey, AuthMessage): the client checks it to know the broker holds its credential.
server.isComplete() + " " + server.authorizationId()
// ==> "true user"
serverFinal.equals("v=" + base64(hmac(serverKey, utf8(authMessage))))
// ==> true

// A guessed password makes a proof whose XOR does not hash to StoredKey.
{ server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, (mechanism, user) -> Optional.of(kept), new Sevens()); }
server.evaluateResponse(utf8("n,," + clientFirstBare)).length
// ==> 82
byte[] guessedKey = hmac(ScramMechanism.SCRAM_SHA_256.saltedPassword("pencils", saltBytes, 4096), utf8("Client Key"))
// ==> byte[32] { -48, -121, -90, 67, -45, -115, 29, -48, 62, 73, 36, -66, 75, 23, -41, -72, 124, 104, 30, 28, 43, 124, 69, 54, -67, 82, -79, -10, -82, -41, -24, 73 }
String guessedProof = base64(xor(guessedKey, hmac(sha256(guessedKey), utf8(authMessage))))
// ==> "VrfN9uunGEOF119boAhQSLrXfDsiUOBKTNFPiFsEzho="
server.evaluateResponse(utf8(withoutProof + ",p=" + guessedProof))
// !! SaslException: Invalid client credentials

// The authorizer's rule, asked of the broker's StandardAuthorizer. The till may WRITE every topic starting with
// "orders"; everyone may READ "orders" except from one host; nothing is said of groups.
AclDecision authorizer = null;
// ==> null
{ authorizer = new BrokerAclDecision(); }
List<AclBinding> bindings = null;
// ==> null
{ bindings = List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.PREFIXED), new AccessControlEntry("User:till", "*", AclOperation.WRITE, AclPermissionType.ALLOW)), new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL), new AccessControlEntry("User:*", "*", AclOperation.READ, AclPermissionType.ALLOW)), new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL), new AccessControlEntry("User:*", "10.6.6.6", AclOperation.READ, AclPermissionType.DENY))); }
AuthorizationResult ask(String user, String host, AclOperation operation, ResourceType type, String name) { return authorizer.authorize(new AclDecision.Ask(KafkaPrincipal.user(user), host, operation, type, name), bindings, Set.of("User:manager"), false); }
ask("till", "10.0.0.1", AclOperation.WRITE, ResourceType.TOPIC, "orders-eu")
// ==> ALLOWED
ask("till", "10.0.0.1", AclOperation.DESCRIBE, ResourceType.TOPIC, "orders-eu")
// ==> ALLOWED
ask("accountant", "10.0.0.1", AclOperation.WRITE, ResourceType.TOPIC, "orders")
// ==> DENIED
ask("accountant", "10.0.0.1", AclOperation.READ, ResourceType.TOPIC, "orders")
// ==> ALLOWED
ask("accountant", "10.6.6.6", AclOperation.READ, ResourceType.TOPIC, "orders")
// ==> DENIED
ask("accountant", "10.0.0.1", AclOperation.READ, ResourceType.GROUP, "books")
// ==> DENIED
ask("manager", "10.6.6.6", AclOperation.DELETE, ResourceType.TOPIC, "orders")
// ==> ALLOWED

// A quota: 1000 bytes a second for the client id "greedy", measured over 3 windows of 1 s. The broker's own
// ClientQuotaManager, told the time of each produce in milliseconds. Within the quota: no throttle.
ClientQuotas quotas = null;
// ==> null
{ quotas = ClientQuotas.open(null, 3, 1); }
quotas.settings().alter(List.of(new ClientQuotaAlteration(ClientQuotaEntity.of(null, "greedy"), List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1000.0)))), false).get(0).error()
// ==> NONE
quotas.produce().recordAndGetThrottleTimeMs("till", "greedy", 1000, 0)
// ==> 0
quotas.produce().recordAndGetThrottleTimeMs("till", "greedy", 1000, 500)
// ==> 0

// Then 4000 bytes at once. 6000 bytes, over the two windows a rate is never measured over less than: 3000 B/s.
// Waiting X brings it back to the quota: X = (3000 - 1000) / 1000 * 2 s. The answer carries 4000 ms, and the
// broker reads nothing more from that connection until they have passed.
quotas.produce().recordAndGetThrottleTimeMs("till", "greedy", 4000, 1000)
// ==> 4000

// Another client id has no quota (and no default applies): it is not even measured.
quotas.produce().recordAndGetThrottleTimeMs("till", "steady", 100000, 1000)
// ==> 0
