/* C API of the PII module, as a C99 program (pedantic, -Werror). */
#define _POSIX_C_SOURCE 200112L /* setenv, unsetenv, getpid */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "veteran.h"

static void test_roundtrip_and_failures(void) {
  veteran_keyring *ring = NULL, *other = NULL;
  char env[512], moved[512];
  char plain[256];
  size_t len = 0;
  int kind = 0;
  const char value[] = "07700 900123";

  CHECK(veteran_keyring_generate(&ring, "k1") == VETERAN_OK);
  CHECK(ring != NULL);
  CHECK(veteran_keyring_active_id(plain, sizeof plain, &len, ring) == VETERAN_OK);
  CHECK(strcmp(plain, "k1") == 0 && len == 2);

  CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "users", "phone", "42",
                            VETERAN_PII_STRING, value, strlen(value)) == VETERAN_OK);
  CHECK(strncmp(env, "vet1:k1:", 8) == 0);
  CHECK(strlen(env) == len);
  CHECK(veteran_pii_is_envelope(env) == 1);
  CHECK(veteran_pii_is_envelope("vet1:hello") == 0);
  CHECK(veteran_pii_is_envelope(NULL) == 0);

  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, "users", "phone",
                            "42", env) == VETERAN_OK);
  CHECK(strcmp(plain, value) == 0 && len == strlen(value) && kind == VETERAN_PII_STRING);

  /* Buffer too small: nothing written, size reported. */
  memset(plain, 'Z', sizeof plain);
  CHECK(veteran_pii_decrypt(plain, 4, &len, &kind, ring, "users", "phone", "42", env) ==
        VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(len == strlen(value));
  CHECK(plain[0] == 'Z');

  /* Moved to another record: context mismatch, nothing written. */
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, "users", "phone",
                            "43", env) == VETERAN_E_CONTEXT_MISMATCH);
  CHECK(plain[0] == 'Z');
  CHECK(strstr(veteran_error_last(), "07700") == NULL);

  /* Tampered. */
  strcpy(moved, env);
  moved[strlen(moved) - 5] = moved[strlen(moved) - 5] == 'A' ? 'B' : 'A';
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, "users", "phone",
                            "42", moved) == VETERAN_E_CIPHERTEXT_TAMPERED);
  /* Malformed / placeholder text. */
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, "users", "phone",
                            "42",
                            "***decryption_error***") == VETERAN_E_ENVELOPE_MALFORMED);
  /* Unknown and wrong keys. */
  CHECK(veteran_keyring_generate(&other, "k2") == VETERAN_OK);
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, other, "users", "phone",
                            "42", env) == VETERAN_E_KEY_UNKNOWN);
  veteran_keyring_free(other);
  other = NULL;
  CHECK(veteran_keyring_generate(&other, "k1") == VETERAN_OK);
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, other, "users", "phone",
                            "42", env) == VETERAN_E_KEY_WRONG);
  veteran_keyring_free(other);

  /* Bytes and JSON kinds. */
  {
    const unsigned char bytes[4] = {0, 1, 255, 0};
    unsigned char back[16];
    CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "t", "f", "1",
                              VETERAN_PII_BYTES, bytes, sizeof bytes) == VETERAN_OK);
    CHECK(veteran_pii_decrypt(back, sizeof back, &len, &kind, ring, "t", "f", "1", env) ==
          VETERAN_OK);
    CHECK(len == 4 && memcmp(back, bytes, 4) == 0 && kind == VETERAN_PII_BYTES);
    CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "t", "f", "1",
                              VETERAN_PII_JSON, "{bad", 4) == VETERAN_E_PARSE);
    CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "t", "f", "1", 9, "x", 1) ==
          VETERAN_E_INVALID_ARGUMENT);
  }

  /* Rotation + rewrap. */
  CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "users", "phone", "42",
                            VETERAN_PII_STRING, value, strlen(value)) == VETERAN_OK);
  CHECK(veteran_keyring_rotate(ring, "k2") == VETERAN_OK);
  CHECK(veteran_keyring_rotate(ring, "k2") == VETERAN_E_CONFLICT);
  CHECK(veteran_pii_rewrap(moved, sizeof moved, &len, ring, "users", "phone", "42",
                           env) == VETERAN_OK);
  CHECK(strncmp(moved, "vet1:k2:", 8) == 0);
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, "users", "phone",
                            "42", moved) == VETERAN_OK);
  CHECK(strcmp(plain, value) == 0);

  /* NULL arguments are refused with a message naming them. */
  CHECK(veteran_pii_encrypt(env, sizeof env, &len, NULL, "t", "f", "1", 1, "x", 1) ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(strstr(veteran_error_last(), "ring") != NULL);
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, &kind, ring, NULL, "f", "1",
                            env) == VETERAN_E_INVALID_ARGUMENT);
  veteran_keyring_free(ring);
  veteran_keyring_free(NULL);
}

static void test_files_env_passphrase(void) {
  veteran_keyring *ring = NULL, *loaded = NULL;
  char path[128], env[512], plain[64];
  size_t len = 0;
  unsigned char salt[VETERAN_PII_SALT_BYTES];
  snprintf(path, sizeof path, "/tmp/veteran_c_pii_%ld.json", (long)getpid());
  remove(path);

  CHECK(veteran_pii_salt_bytes() == VETERAN_PII_SALT_BYTES);
  CHECK(veteran_pii_random_salt(salt, sizeof salt) == VETERAN_OK);
  CHECK(veteran_pii_random_salt(salt, 3) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_keyring_from_passphrase(&ring, "p1", "correct horse", salt,
                                        sizeof salt) == VETERAN_OK);
  CHECK(veteran_keyring_save(ring, path, 0) == VETERAN_OK);
  CHECK(veteran_keyring_save(ring, path, 0) == VETERAN_E_CONFLICT);
  CHECK(veteran_pii_encrypt(env, sizeof env, &len, ring, "t", "f", "1",
                            VETERAN_PII_STRING, "hi", 2) == VETERAN_OK);
  CHECK(veteran_keyring_from_file(&loaded, path, NULL) == VETERAN_E_KEY_MISSING);
  CHECK(loaded == NULL);
  /* A mistyped passphrase is refused at load (the file's check value), with
   * a message naming the key id and never the passphrase. */
  CHECK(veteran_keyring_from_file(&loaded, path, "correct horsf") == VETERAN_E_KEY_WRONG);
  CHECK(loaded == NULL);
  CHECK(strstr(veteran_error_last(), "'p1'") != NULL);
  CHECK(strstr(veteran_error_last(), "hors") == NULL);
  CHECK(veteran_keyring_from_file(&loaded, path, "correct horse") == VETERAN_OK);
  CHECK(veteran_pii_decrypt(plain, sizeof plain, &len, NULL, loaded, "t", "f", "1",
                            env) == VETERAN_OK);
  CHECK(strcmp(plain, "hi") == 0);
  veteran_keyring_free(loaded);
  loaded = NULL;
  CHECK(veteran_keyring_from_file(&loaded, "/nonexistent/keys.json", NULL) ==
        VETERAN_E_NOT_FOUND);
  remove(path);
  veteran_keyring_free(ring);

  unsetenv("VETERAN_C_TEST_KEYS");
  CHECK(veteran_keyring_from_env(&ring, "VETERAN_C_TEST_KEYS") == VETERAN_E_KEY_MISSING);
  setenv("VETERAN_C_TEST_KEYS", "e1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1);
  CHECK(veteran_keyring_from_env(&ring, "VETERAN_C_TEST_KEYS") == VETERAN_OK);
  CHECK(veteran_keyring_active_id(plain, sizeof plain, &len, ring) == VETERAN_OK);
  CHECK(strcmp(plain, "e1") == 0);
  veteran_keyring_free(ring);
}

static void test_index_redact_phone(void) {
  veteran_keyring *ring = NULL;
  char a[64], b[64], out[512];
  size_t len = 0;
  const char *text = "call 07700 900123 or jo@example.com";
  CHECK(veteran_keyring_generate(&ring, NULL) == VETERAN_OK);
  CHECK(veteran_pii_blind_index(a, sizeof a, &len, ring, "phone", VETERAN_PII_INDEX_PHONE,
                                "07700 900123") == VETERAN_OK);
  CHECK(len == veteran_pii_blind_index_length());
  CHECK(veteran_pii_blind_index(b, sizeof b, &len, ring, "phone", VETERAN_PII_INDEX_PHONE,
                                "+44 (0)7700-900123") == VETERAN_OK);
  CHECK(strcmp(a, b) == 0);
  CHECK(veteran_pii_blind_index(b, sizeof b, &len, ring, "phone", VETERAN_PII_INDEX_PHONE,
                                "not a phone") == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_pii_blind_index(b, sizeof b, &len, ring, "phone", 42, "x") ==
        VETERAN_E_INVALID_ARGUMENT);

  CHECK(veteran_pii_redact(out, sizeof out, &len, text, strlen(text), NULL) ==
        VETERAN_OK);
  CHECK(strstr(out, "\"text\":\"call [PHONE] or [EMAIL]\"") != NULL);
  CHECK(strstr(out, "\"type\":\"phone\",\"start\":5,\"end\":17") != NULL);
  CHECK(veteran_pii_redact(out, sizeof out, &len, text, strlen(text), ring) ==
        VETERAN_OK);
  CHECK(strstr(out, "[PHONE-") != NULL);
  CHECK(veteran_pii_redact(out, 8, &len, text, strlen(text), NULL) ==
        VETERAN_E_BUFFER_TOO_SMALL);

  CHECK(veteran_pii_normalise_phone(out, sizeof out, &len, "0044 7700 900123", NULL) ==
        VETERAN_OK);
  CHECK(strcmp(out, "+447700900123") == 0);
  CHECK(veteran_pii_normalise_phone(out, sizeof out, &len, "12345", "mobile") ==
        VETERAN_E_INVALID_ARGUMENT);
  CHECK(strstr(veteran_error_last(), "mobile") != NULL);
  CHECK(strstr(veteran_error_last(), "12345") == NULL);
  veteran_keyring_free(ring);
}

int main(void) {
  test_roundtrip_and_failures();
  test_files_env_passphrase();
  test_index_redact_phone();
  return finish_checks("c_pii");
}
