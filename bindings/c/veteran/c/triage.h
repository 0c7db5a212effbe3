/*
 * veteran/c/triage.h — crisis triage: engines, assessments, sessions.
 * Conventions: see veteran.h. C99; every function is declared extern "C".
 */
#ifndef VETERAN_C_TRIAGE_H
#define VETERAN_C_TRIAGE_H

#include "veteran/c/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- triage ------------------------------------------------------------- */
/* A compiled phrase pack plus options. Immutable after creation: one engine
 * may be used by any number of threads at once. */
typedef struct veteran_engine veteran_engine;
/* Conversation state for trajectory rules. NOT thread-safe: one session per
 * conversation, used by one thread at a time. */
typedef struct veteran_session veteran_session;

/* Version 2 appended the extra packs; a caller compiled against version 1
 * still works (the library reads only the members its version has). */
#define VETERAN_ENGINE_OPTIONS_VERSION 2
typedef struct veteran_engine_options {
  unsigned version;       /* VETERAN_ENGINE_OPTIONS_VERSION (1 or 2) */
  const char *pack_json;  /* phrase pack JSON (UTF-8), or NULL */
  size_t pack_json_len;   /* must be 0 when pack_json is NULL (else invalid_argument) */
  const char *pack_path;  /* or a pack file; NULL for both = shipped en-GB pack */
  const char *country;    /* crisis resources country, NULL = "GB"; "UK" accepted */
  /* Since version 2: packs run beside the main one on every message (Welsh
   * beside English), each the locale of a shipped pack ("cy-GB") or a pack
   * file path (NUL-terminated). Their triggers appear in the JSON with ids
   * prefixed by their locale ("cy-GB:intent.kill_myself"); the level is
   * worked out from every pack's findings. Read during veteran_engine_new
   * only (the caller keeps ownership). NULL = none. */
  const char *const *extra_packs;
  size_t extra_pack_count; /* entries in extra_packs; must be 0 when it is NULL */
} veteran_engine_options;

/* Levels, RAG bands and interventions as integers (stable). */
#define VETERAN_LEVEL_NONE 0
#define VETERAN_LEVEL_LOW 1
#define VETERAN_LEVEL_MEDIUM 2
#define VETERAN_LEVEL_HIGH 3
#define VETERAN_LEVEL_CRITICAL 4
#define VETERAN_RAG_GREEN 0
#define VETERAN_RAG_YELLOW 1
#define VETERAN_RAG_AMBER 2
#define VETERAN_RAG_RED 3

/* Who is at risk (veteran_assessment_summary.at_risk, version 2). */
#define VETERAN_AT_RISK_NONE 0
#define VETERAN_AT_RISK_SELF 1
#define VETERAN_AT_RISK_OTHER 2
#define VETERAN_AT_RISK_BOTH 3

/* Version 2 appended `at_risk` and the conversation view; a caller compiled against version 1 still
 * works (the library writes only the members its version has). */
#define VETERAN_ASSESSMENT_SUMMARY_VERSION 2
typedef struct veteran_assessment_summary {
  unsigned version;          /* set by the caller to VETERAN_ASSESSMENT_SUMMARY_VERSION */
  int level;                 /* VETERAN_LEVEL_* */
  int rag;                   /* VETERAN_RAG_* */
  int intervention;          /* 0 none .. 4 emergency_resources */
  double score;              /* 0..1 */
  int requires_intervention; /* flags: 0 or 1 */
  int alert_staff;
  int show_resources;
  int block_ai_reply;
  int concern_for_other;
  size_t trigger_count;
  size_t suppressed_count;
  int failed;                /* 1 if the engine failed internally (level is then high) */
  int at_risk;               /* since version 2: VETERAN_AT_RISK_* */
  int message_level;         /* since version 2: this message alone (VETERAN_LEVEL_*) */
  int conversation_level;    /* since version 2: what the session's turns add up to */
  int trend;                 /* since version 2: 0 steady, 1 rising, 2 falling */
} veteran_assessment_summary;

/* Creates an engine. `options` may be NULL (shipped pack, GB resources).
 * For Welsh beside it, use options version 2 with "cy-GB" in extra_packs.
 * Errors: VETERAN_E_PACK_INVALID / _PARSE / _IO for a bad pack (main or
 * extra), VETERAN_E_NOT_FOUND for an unknown country,
 * VETERAN_E_INVALID_ARGUMENT for an unknown options version, a NULL
 * extra_packs entry or array with a count, or two packs with the same
 * locale. On error *out is NULL. */
VETERAN_API int veteran_engine_new(veteran_engine **out,
                                   const veteran_engine_options *options)
    VETERAN_WARN_UNUSED;
/* Frees an engine (NULL is fine). No call may be using it. */
VETERAN_API void veteran_engine_free(veteran_engine *engine);

/* Assesses `text` (len bytes of UTF-8; invalid bytes are tolerated) and
 * writes the assessment JSON (schema: docs/triage.md) into buf. Triage never
 * fails open: an internal failure still yields JSON with level "high" and
 * "error" set, and returns VETERAN_OK. Thread-safe. */
VETERAN_API int veteran_assess(const veteran_engine *engine, const char *text, size_t len,
                               char *buf, size_t cap, size_t *out_len)
    VETERAN_WARN_UNUSED;
/* Assesses and fills a fixed-size summary (no allocation for the caller).
 * out->version must be VETERAN_ASSESSMENT_SUMMARY_VERSION. Thread-safe. */
VETERAN_API int veteran_assess_summary(const veteran_engine *engine, const char *text,
                                       size_t len, veteran_assessment_summary *out)
    VETERAN_WARN_UNUSED;

/* Sessions. */
VETERAN_API int veteran_session_new(veteran_session **out) VETERAN_WARN_UNUSED;
VETERAN_API void veteran_session_free(veteran_session *session);
/* Assesses `text` as the next turn of `session` at `now_ms` (milliseconds
 * since the Unix epoch; pass a negative value for the system clock). The
 * session is updated only when the call succeeds: if buf is too small the
 * session is unchanged and the call may simply be repeated. */
VETERAN_API int veteran_assess_in_session(const veteran_engine *engine,
                                          veteran_session *session, const char *text,
                                          size_t len, int64_t now_ms, char *buf,
                                          size_t cap, size_t *out_len) VETERAN_WARN_UNUSED;
/* Saves a session as JSON / restores one (errors: VETERAN_E_PARSE,
 * VETERAN_E_UNSUPPORTED_VERSION; *out is NULL on error). */
VETERAN_API int veteran_session_to_json(const veteran_session *session, char *buf,
                                        size_t cap, size_t *out_len) VETERAN_WARN_UNUSED;
VETERAN_API int veteran_session_from_json(veteran_session **out, const char *json,
                                          size_t len) VETERAN_WARN_UNUSED;

/* The text a host must show before AI chat. Static storage; never NULL. */
VETERAN_API const char *veteran_ai_disclaimer(void);

#ifdef __cplusplus
}
#endif
#endif /* VETERAN_C_TRIAGE_H */
