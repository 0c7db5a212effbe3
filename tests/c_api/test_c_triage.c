/* C API: triage engine, caller-owned buffers, sessions, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "veteran.h"

static char *assess_alloc(const veteran_engine *e, const char *text) {
  size_t need = 0;
  char *buf;
  int rc = veteran_assess(e, text, strlen(text), NULL, 0, &need);
  CHECK(rc == VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(need > 0);
  buf = (char *)malloc(need + 1);
  rc = veteran_assess(e, text, strlen(text), buf, need + 1, &need);
  CHECK(rc == VETERAN_OK);
  CHECK(strlen(buf) == need);
  return buf;
}

int main(void) {
  veteran_engine *engine = NULL;
  veteran_engine *bad = (veteran_engine *)1;
  veteran_session *session = NULL;
  veteran_engine_options opts;
  veteran_assessment_summary summary;
  char *json;
  char small[8];
  char buf[65536];
  size_t len = 0;
  int rc;

  CHECK(veteran_engine_new(&engine, NULL) == VETERAN_OK);
  CHECK(engine != NULL);

  json = assess_alloc(engine, "I want to kill myself");
  CHECK(strstr(json, "\"level\":\"critical\"") != NULL);
  CHECK(strstr(json, "\"error\":null") != NULL);
  free(json);

  memset(&summary, 0, sizeof summary);
  summary.version = VETERAN_ASSESSMENT_SUMMARY_VERSION;
  CHECK(veteran_assess_summary(engine, "lovely day at the allotment", 27, &summary) == VETERAN_OK);
  CHECK(summary.level == VETERAN_LEVEL_NONE);
  CHECK(summary.rag == VETERAN_RAG_GREEN);
  CHECK(summary.failed == 0);
  CHECK(veteran_assess_summary(engine, "I want to die", 13, &summary) == VETERAN_OK);
  CHECK(summary.level >= VETERAN_LEVEL_HIGH);
  CHECK(summary.alert_staff == 1);
  CHECK(summary.trigger_count >= 1);
  CHECK(summary.at_risk == VETERAN_AT_RISK_SELF);
  CHECK(summary.message_level == summary.level);
  CHECK(summary.conversation_level == summary.level);
  CHECK(summary.trend == 0);
  {
    const char *other = "my brother keeps saying he wants to die";
    CHECK(veteran_assess_summary(engine, other, strlen(other), &summary) == VETERAN_OK);
    CHECK(summary.at_risk == VETERAN_AT_RISK_OTHER);
    CHECK(summary.alert_staff == 1);
  }
  /* A caller built against version 1 gets the version-1 members only. */
  {
    veteran_assessment_summary v1;
    memset(&v1, 0, sizeof v1);
    v1.version = 1;
    v1.at_risk = 77;
    CHECK(veteran_assess_summary(engine, "I want to die", 13, &v1) == VETERAN_OK);
    CHECK(v1.level >= VETERAN_LEVEL_HIGH);
    CHECK(v1.at_risk == 77);
    v1.version = 3;
    CHECK(veteran_assess_summary(engine, "hi", 2, &v1) == VETERAN_E_INVALID_ARGUMENT);
  }

  /* Extra packs (Welsh beside English) by options version 2. */
  {
    veteran_engine *two = NULL;
    const char *extras[] = {"cy-GB"};
    const char *twice[] = {"cy-GB", "cy-GB"};
    const char *with_null[] = {NULL};
    memset(&opts, 0, sizeof opts);
    opts.version = 1; /* a version-1 caller: the main pack alone */
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_OK);
    CHECK(veteran_assess_summary(two, "dw i eisiau marw", 16, &summary) == VETERAN_OK);
    CHECK(summary.level == VETERAN_LEVEL_NONE);
    veteran_engine_free(two);
    two = NULL;
    opts.version = VETERAN_ENGINE_OPTIONS_VERSION;
    opts.extra_packs = extras;
    opts.extra_pack_count = 1;
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_OK);
    CHECK(veteran_assess_summary(two, "dw i eisiau marw", 16, &summary) == VETERAN_OK);
    CHECK(summary.level == VETERAN_LEVEL_HIGH);
    json = assess_alloc(two, "Dw i am ladd fy hun heno");
    CHECK(strstr(json, "\"level\":\"critical\"") != NULL);
    CHECK(strstr(json, "\"cy-GB:intent.kill_myself\"") != NULL);
    free(json);
    veteran_engine_free(two);
    two = (veteran_engine *)1;
    opts.extra_packs = twice;
    opts.extra_pack_count = 2;
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_E_INVALID_ARGUMENT);
    CHECK(two == NULL);
    CHECK(strstr(veteran_error_last(), "extra_packs[1]") != NULL);
    opts.extra_packs = with_null;
    opts.extra_pack_count = 1;
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_E_INVALID_ARGUMENT);
    opts.extra_packs = NULL;
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_E_INVALID_ARGUMENT);
    opts.version = VETERAN_ENGINE_OPTIONS_VERSION + 1;
    opts.extra_pack_count = 0;
    CHECK(veteran_engine_new(&two, &opts) == VETERAN_E_INVALID_ARGUMENT);
  }

  /* Buffer too small: nothing written, size reported. */
  memset(small, 'x', sizeof small);
  rc = veteran_assess(engine, "hello", 5, small, sizeof small, &len);
  CHECK(rc == VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(len > sizeof small);
  CHECK(small[0] == 'x');
  CHECK(strstr(veteran_error_last(), "buffer") != NULL);

  /* Bad arguments. */
  CHECK(veteran_assess(NULL, "x", 1, buf, sizeof buf, &len) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(strstr(veteran_error_last(), "engine") != NULL);
  CHECK(veteran_assess(engine, NULL, 4, buf, sizeof buf, &len) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(veteran_assess(engine, NULL, 0, buf, sizeof buf, &len) == VETERAN_OK); /* empty text */
  summary.version = 99;
  CHECK(veteran_assess_summary(engine, "x", 1, &summary) == VETERAN_E_INVALID_ARGUMENT);

  /* Invalid UTF-8 is tolerated. */
  CHECK(veteran_assess(engine, "want\xff to \xc3 die", 15, buf, sizeof buf, &len) == VETERAN_OK);

  /* A bad pack is refused, naming the entry; *out stays NULL. */
  memset(&opts, 0, sizeof opts);
  opts.version = VETERAN_ENGINE_OPTIONS_VERSION;
  opts.pack_json = "{\"format\":1,\"id\":\"t\",\"version\":\"1\",\"locale\":\"x\",\"phrases\":"
                   "[{\"id\":\"p.one\",\"pattern\":\"x\",\"category\":\"nope\","
                   "\"severity\":\"low\",\"weight\":0.5}]}";
  opts.pack_json_len = strlen(opts.pack_json);
  rc = veteran_engine_new(&bad, &opts);
  CHECK(rc == VETERAN_E_PACK_INVALID);
  CHECK(bad == NULL);
  CHECK(strstr(veteran_error_last(), "p.one") != NULL);
  /* NULL pack text with a length is a bug, not "use the default pack". */
  opts.pack_json = NULL;
  bad = (veteran_engine *)1;
  CHECK(veteran_engine_new(&bad, &opts) == VETERAN_E_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  CHECK(strstr(veteran_error_last(), "pack_json") != NULL);
  opts.pack_json_len = 0;
  opts.country = "ZZ";
  CHECK(veteran_engine_new(&bad, &opts) == VETERAN_E_NOT_FOUND);
  opts.country = "UK";
  CHECK(veteran_engine_new(&bad, &opts) == VETERAN_OK);
  veteran_engine_free(bad);
  opts.version = 42;
  CHECK(veteran_engine_new(&bad, &opts) == VETERAN_E_INVALID_ARGUMENT);

  /* Sessions: a method after ideation is critical; a too-small buffer leaves
   * the session unchanged. */
  CHECK(veteran_session_new(&session) == VETERAN_OK);
  CHECK(veteran_assess_in_session(engine, session, "I want to die", 13, 1000, buf, sizeof buf,
                                  &len) == VETERAN_OK);
  CHECK(veteran_assess_in_session(engine, session, "I have my service pistol", 24, 2000, small,
                                  sizeof small, &len) == VETERAN_E_BUFFER_TOO_SMALL);
  CHECK(veteran_session_to_json(session, buf, sizeof buf, &len) == VETERAN_OK);
  CHECK(strstr(buf, "\"at\":2000") == NULL);
  CHECK(veteran_assess_in_session(engine, session, "I have my service pistol", 24, 2000, buf,
                                  sizeof buf, &len) == VETERAN_OK);
  CHECK(strstr(buf, "\"level\":\"critical\"") != NULL);
  CHECK(strstr(buf, "method_after_ideation") != NULL);
  CHECK(strstr(buf, "\"conversation_level\":\"critical\"") != NULL);
  CHECK(strstr(buf, "\"turn\":2") != NULL);
  CHECK(strstr(buf, "\"turns\":[1,2]") != NULL);
  CHECK(veteran_session_to_json(session, buf, sizeof buf, &len) == VETERAN_OK);
  veteran_session_free(session);
  session = NULL;
  CHECK(veteran_session_from_json(&session, buf, len) == VETERAN_OK);
  CHECK(session != NULL);
  veteran_session_free(session);
  session = (veteran_session *)1;
  CHECK(veteran_session_from_json(&session, "{}", 2) == VETERAN_E_PARSE);
  CHECK(session == NULL);

  CHECK(strlen(veteran_ai_disclaimer()) > 20);

  veteran_engine_free(engine);
  veteran_engine_free(NULL);
  veteran_session_free(NULL);
  return finish_checks("c_triage");
}
