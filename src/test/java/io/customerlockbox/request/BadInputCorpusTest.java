package io.customerlockbox.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.security.Groups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A generated corpus of malformed calls against every write endpoint of the API: wrong types,
 * missing and extra fields, huge and empty strings, unicode edge cases, SQL and HTML injection,
 * unknown and other tenants' ids, wrong content types, broken JSON. Every call must get a 4xx
 * problem detail that names what is wrong (the field, when one is at fault), never a 5xx, and
 * must leave the database exactly as it was. {@link BadInputApiTest} holds the hand-picked
 * cases with their precise answers; this one is about breadth.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest extends ApplicationTest {

  /** Every endpoint gets at least this many malformed calls. */
  static final int AT_LEAST = 50;

  /** Far over every field's limit, still under the API's body limit (WebSurfaceTest covers a 413). */
  private static final String HUGE = "x".repeat(10_000);
  /** Strings no id may be: injection, unicode edge cases, blanks. */
  private static final List<String> ODD_IDS = List.of("' or '1'='1", "x' union select 1 --", "<script>alert(1)</script>",
      "\u202Eevil", "zero\u200Bwidth", "\uD83D\uDE00", "nul\u0000byte", "lone\uD800surrogate", " ", "Ünïcödé",
      "a".repeat(300));
  /** Text that is not printable (web/PrintableText): each refused in every free-text field, naming it. */
  private static final List<String> UNPRINTABLE = List.of("nul \u0000 inside a sentence", "a bell \u0007 rings here",
      "an escape \u001b[31m in red", "a C1 control \u0085 next line", "a lone \uD800 high surrogate",
      "a lone \uDC00 low surrogate", "a noncharacter \uFFFF here", "a noncharacter \uFDD0 there",
      "reads \u202Eesrever ni", "an isolate \u2066 opened");

  @Autowired
  AccessRequestService requests;

  private ApiClient api;
  private Targets targets;
  private final Map<String, Integer> tried = new TreeMap<>();
  private int serverErrors;

  /** The valid things the calls aim at, and the other tenant's. */
  record Targets(TestTenant tenant, TestTenant other, String lockbox, String otherLockbox, String internal,
      String granted, String othersGranted, String grant) {}

  /** One malformed call: where, as whom, what; the field the answer must name, if one is at fault. */
  record Call(String endpoint, String name, HttpMethod method, Function<Targets, String> path, String user,
      MediaType contentType, Function<Targets, String> body, int status, String field) {

    @Override
    public String toString() {
      return endpoint + ": " + name;
    }
  }

  @BeforeAll
  void prepare() {
    api = new ApiClient(port, mapper);
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    fixtures.user("engineer-2", null, Groups.SUPPORT_ENGINEERS);
    targets = new Targets(tenant, other,
        lockboxOf(start(tenant.prod(), tenant, AccessLevel.READ, "engineer")),
        lockboxOf(start(other.prod(), other, AccessLevel.READ, "engineer")),
        start(tenant.prod(), tenant, AccessLevel.WRITE, "engineer"),
        start(tenant.sandbox(), tenant, AccessLevel.READ, "engineer"),
        start(tenant.sandbox(), tenant, AccessLevel.READ, "engineer-2"), null);
    targets = new Targets(tenant, other, targets.lockbox(), targets.otherLockbox(), targets.internal(),
        targets.granted(), targets.othersGranted(), jdbc.queryForObject(
            "select id from access_grant where access_request_id = ?", String.class, targets.granted()));
    assertThat(status(targets.internal())).isEqualTo("PENDING_INTERNAL_APPROVAL");
    assertThat(status(targets.granted())).isEqualTo("ACCESS_GRANTED");
  }

  @AfterAll
  void report() {
    int total = tried.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("BAD INPUT corpus: bad inputs tried = %d (per endpoint %s), 5xx = %d%n", total, tried,
        serverErrors);
  }

  static Stream<Call> corpus() {
    return Stream.of(createRequest(), approveOrDeny("approve"), approveOrDeny("deny"), release(), extension(),
        internalApproval(), policy(), auditRetention(), environment(), activity(), revoke()).flatMap(List::stream);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRefusedWithAProblemDetailAndChangesNothing(Call call) {
    List<Object> before = snapshot();

    Response response = as(call.user())
        .send(call.method(), call.path().apply(targets), call.contentType(), call.body().apply(targets));

    tried.merge(call.endpoint(), 1, Integer::sum);
    if (response.status() >= 500) {
      serverErrors++;
    }
    assertThat(response.status()).as(response.toString()).isEqualTo(call.status());
    assertThat(response.contentType()).as(response.toString()).isNotNull();
    assertThat(response.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as(response.toString())
        .isTrue();
    JsonNode problem = response.json();
    assertThat(problem.path("status").asInt()).as(response.toString()).isEqualTo(response.status());
    assertThat(problem.path("detail").asText()).as(response.toString()).isNotBlank();
    if (call.field() != null) {
      assertThat(problem.path("field").asText()).as(response.toString()).isEqualTo(call.field());
    }
    assertThat(response.body()).as(response.toString()).doesNotContain("Exception").doesNotContain("    at ");
    assertThat(snapshot()).as("database after " + call).isEqualTo(before);
  }

  @org.junit.jupiter.api.Test
  void everyWriteEndpointGetsAtLeastFiftyMalformedCalls() {
    Map<String, Long> perEndpoint = new TreeMap<>();
    corpus().forEach(call -> perEndpoint.merge(call.endpoint(), 1L, Long::sum));
    assertThat(perEndpoint).hasSize(11).allSatisfy((endpoint, count) -> assertThat(count).as(endpoint)
        .isGreaterThanOrEqualTo(AT_LEAST));
  }

  // --- the corpus, endpoint by endpoint

  private static List<Call> createRequest() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("tenantId", Kind.ID);
    fields.put("environmentId", Kind.ID);
    fields.put("justification", Kind.TEXT);
    fields.put("accessLevel", Kind.ENUM);
    fields.put("isolatedIdentity", Kind.BOOLEAN);
    fields.put("mfaVerified", Kind.BOOLEAN);
    return json("POST /api/access-requests", HttpMethod.POST, "engineer", t -> "/api/access-requests", t -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenantId", t.tenant().id());
      body.put("environmentId", t.tenant().prod());
      body.put("supportTicketId", "SR-4711");
      body.put("justification", "Investigate the failing nightly export job");
      body.put("accessLevel", "READ");
      body.put("isolatedIdentity", true);
      body.put("mfaVerified", true);
      return body;
    }, fields, true, List.of(), null);
  }

  private static List<Call> approveOrDeny(String decision) {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("comment", Kind.OPTIONAL_TEXT);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another tenant's lockbox request", Targets::otherLockbox));
    paths.add(new BadPath("an unknown lockbox request", t -> UUID.randomUUID().toString()));
    return json("POST /api/lockbox-requests/{id}/" + decision, HttpMethod.POST, "approver",
        t -> "/api/lockbox-requests/" + t.lockbox() + "/" + decision, t -> Map.of("comment", "a reason"), fields,
        false, paths, id -> "/api/lockbox-requests/" + id + "/" + decision);
  }

  /** Checked before the tenant's switch and the request's state: the bad body is refused first (400). */
  private static List<Call> revoke() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("comment", Kind.TEXT);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another tenant's lockbox request", Targets::otherLockbox));
    paths.add(new BadPath("an unknown lockbox request", t -> UUID.randomUUID().toString()));
    return json("POST /api/lockbox-requests/{id}/revoke", HttpMethod.POST, "approver",
        t -> "/api/lockbox-requests/" + t.lockbox() + "/revoke", t -> Map.of("comment", "unexpected queries"), fields,
        true, paths, id -> "/api/lockbox-requests/" + id + "/revoke");
  }

  private static List<Call> release() {
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another engineer's request", Targets::othersGranted));
    paths.add(new BadPath("a request still waiting for a lead", Targets::internal, 409));
    paths.add(new BadPath("an unknown request", t -> UUID.randomUUID().toString()));
    return json("POST /api/access-requests/{id}/release", HttpMethod.POST, "engineer",
        t -> "/api/access-requests/" + t.granted() + "/release", t -> Map.of(), Map.of(), false, paths,
        id -> "/api/access-requests/" + id + "/release");
  }

  private static List<Call> extension() {
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another engineer's request", Targets::othersGranted));
    paths.add(new BadPath("a request still waiting for a lead", Targets::internal, 409));
    paths.add(new BadPath("an unknown request", t -> UUID.randomUUID().toString()));
    return json("POST /api/access-requests/{id}/extension", HttpMethod.POST, "engineer",
        t -> "/api/access-requests/" + t.granted() + "/extension",
        t -> Map.of("justification", "The data fix needs two more hours"), Map.of("justification", Kind.TEXT), true,
        paths, id -> "/api/access-requests/" + id + "/extension");
  }

  private static List<Call> internalApproval() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("approved", Kind.BOOLEAN);
    fields.put("comment", Kind.OPTIONAL_TEXT);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("a granted request", Targets::granted, 409));
    paths.add(new BadPath("an unknown request", t -> UUID.randomUUID().toString()));
    return json("POST /api/access-requests/{id}/internal-approval", HttpMethod.POST, "lead",
        t -> "/api/access-requests/" + t.internal() + "/internal-approval", t -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("approved", false);
          body.put("comment", "not needed");
          return body;
        }, fields, true, paths, id -> "/api/access-requests/" + id + "/internal-approval");
  }

  private static List<Call> policy() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("enabled", Kind.BOOLEAN);
    fields.put("scope", Kind.ENUM);
    fields.put("environmentIds", Kind.ID_LIST);
    fields.put("customerMayRevoke", Kind.OPTIONAL_BOOLEAN);
    fields.put("escalationGroup", Kind.OPTIONAL_ID);
    fields.put("maxExtensions", Kind.COUNT);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another tenant", t -> t.other().id()));
    paths.add(new BadPath("an unknown tenant", t -> "no-such-tenant"));
    return json("PUT /api/tenants/{tenantId}/lockbox-policy", HttpMethod.PUT, "admin",
        t -> "/api/tenants/" + t.tenant().id() + "/lockbox-policy", t -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("enabled", false);
          body.put("scope", "SELECTED");
          body.put("environmentIds", List.of(t.tenant().sandbox()));
          body.put("customerMayRevoke", true);
          body.put("escalationGroup", Groups.AUDITORS);
          body.put("maxExtensions", 2);
          return body;
        }, fields, true, paths, id -> "/api/tenants/" + id + "/lockbox-policy");
  }

  private static List<Call> auditRetention() {
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another tenant", t -> t.other().id()));
    paths.add(new BadPath("an unknown tenant", t -> "no-such-tenant"));
    return json("PUT /api/tenants/{tenantId}/audit-retention", HttpMethod.PUT, "admin",
        t -> "/api/tenants/" + t.tenant().id() + "/audit-retention", t -> Map.of("days", 400),
        Map.of("days", Kind.DAYS), true, paths, id -> "/api/tenants/" + id + "/audit-retention");
  }

  private static List<Call> activity() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("activity", Kind.TEXT);
    fields.put("clientIp", Kind.OPTIONAL_ID);
    fields.put("activityId", Kind.OPTIONAL_ID);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("an unknown grant", t -> UUID.randomUUID().toString()));
    paths.add(new BadPath("a request's id, not its grant's", Targets::granted));
    return json("POST /api/access-grants/{id}/activity", HttpMethod.POST, "dataplane",
        t -> "/api/access-grants/" + t.grant() + "/activity", t -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("activity", "ran a read-only query on the export table");
          body.put("clientIp", "10.0.0.7");
          body.put("activityId", "act-4711");
          return body;
        }, fields, true, paths, id -> "/api/access-grants/" + id + "/activity");
  }

  private static List<Call> environment() {
    Map<String, Kind> fields = new LinkedHashMap<>();
    fields.put("id", Kind.ID);
    fields.put("name", Kind.NAME);
    fields.put("managed", Kind.BOOLEAN);
    fields.put("tier", Kind.OPTIONAL_ID);
    List<BadPath> paths = new ArrayList<>();
    paths.add(new BadPath("another tenant", t -> t.other().id()));
    paths.add(new BadPath("an unknown tenant", t -> "no-such-tenant"));
    return json("POST /api/tenants/{tenantId}/environments", HttpMethod.POST, "admin",
        t -> "/api/tenants/" + t.tenant().id() + "/environments", t -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("id", t.tenant().id() + "-new");
          body.put("name", "New environment");
          body.put("managed", true);
          body.put("tier", "production");
          return body;
        }, fields, true, paths, id -> "/api/tenants/" + id + "/environments");
  }

  // --- the generator

  /** What a field holds, and so which values are wrong for it. */
  enum Kind { ID, OPTIONAL_ID, NAME, TEXT, OPTIONAL_TEXT, BOOLEAN, OPTIONAL_BOOLEAN, ENUM, ID_LIST, DAYS, COUNT }

  /** A bad id in the path. */
  record BadPath(String name, Function<Targets, String> id, int status) {

    /** An id that names nothing the caller may see: 404. */
    BadPath(String name, Function<Targets, String> id) {
      this(name, id, 404);
    }
  }

  private static final List<MediaType> WRONG_CONTENT_TYPES = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_XML,
      MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_HTML, MediaType.APPLICATION_OCTET_STREAM,
      MediaType.MULTIPART_FORM_DATA);
  private static final List<String> UNKNOWN_FIELDS = List.of("extra", "__proto__", "constructor", "status",
      "grantedBy", "decidedBy", "id_", "<b>x</b>", "x' or '1'='1", "\u202Eevil", "expiresAt", "tenant_id");

  /**
   * The calls for a JSON endpoint: broken bodies, wrong content types, unknown fields, every
   * field with values wrong for its kind, and bad ids in the path (with a valid body).
   */
  private static List<Call> json(String endpoint, HttpMethod method, String role, Function<Targets, String> path,
      Function<Targets, Map<String, Object>> valid, Map<String, Kind> fields, boolean bodyRequired,
      List<BadPath> badPaths, Function<String, String> pathForId) {
    List<Call> calls = new ArrayList<>();
    Function<Targets, String> validJson = t -> json(valid.apply(t));
    class Add {
      void body(String name, Function<Targets, String> body, String field) {
        calls.add(new Call(endpoint, name, method, path, role, MediaType.APPLICATION_JSON, body, 400, field));
      }

      void field(String name, String field, Object value, String expectedField) {
        body(name, t -> {
          Map<String, Object> body = new LinkedHashMap<>(valid.apply(t));
          body.put(field, value);
          return json(body);
        }, expectedField);
      }
    }
    Add add = new Add();

    // Broken JSON: the body as a whole is at fault.
    add.body("JSON cut after one character", t -> validJson.apply(t).substring(0, 1), null);
    add.body("JSON cut in the middle", t -> validJson.apply(t).substring(0, validJson.apply(t).length() / 2), null);
    add.body("JSON without its closing brace", t -> validJson.apply(t).substring(0, validJson.apply(t).length() - 1),
        null);
    add.body("the body inside a list", t -> "[" + validJson.apply(t) + "]", null);
    add.body("an empty list", t -> "[]", null);
    add.body("a JSON string", t -> "\"approve\"", null);
    add.body("a JSON number", t -> "42", null);
    add.body("JSON true", t -> "true", null);
    add.body("single quotes", t -> "{'x':'y'}", null);
    add.body("a trailing comma", t -> "{\"x\":1,}", null);
    add.body("a comment", t -> "/* yes */ " + validJson.apply(t), null);
    add.body("an unquoted field name", t -> "{x:1}", null);
    add.body("NaN", t -> "{\"x\":NaN}", null);
    add.body("an unterminated string", t -> "{\"x\":\"abc", null);
    add.body("a field without a value", t -> "{\"x\":}", null);
    add.body("an invalid escape", t -> "{\"x\":\"\\q\"}", null);
    add.body("a raw control character", t -> "{\"x\":\"a\u0001b\"}", null);
    add.body("plain words", t -> "approve it please", null);
    add.body("XML", t -> "<?xml version=\"1.0\"?><request/>", null);
    add.body("form encoding", t -> "comment=ok&approved=true", null);
    add.body("JSON nested 2000 deep", t -> "{\"x\":".repeat(2000) + "1" + "}".repeat(2000), null);
    // What Jackson takes by default and the API's contract refuses (web/StrictJson), or refuses already.
    add.body("a second document after the body", t -> validJson.apply(t) + " {}", null);
    add.body("words after the body", t -> validJson.apply(t) + " and more", null);
    add.body("a number with a leading zero", t -> withField(validJson.apply(t), "n", "007"), null);
    add.body("Infinity", t -> withField(validJson.apply(t), "n", "Infinity"), null);
    add.body("a comment after the body", t -> validJson.apply(t) + " // done", null);
    add.body("single quotes around a value", t -> withField(validJson.apply(t), "n", "'x'"), null);
    if (bodyRequired) {
      add.body("an empty body", t -> "", null);
      add.body("JSON null", t -> "null", null);
      add.body("an empty object", t -> "{}", null);
    }
    for (MediaType type : WRONG_CONTENT_TYPES) {
      // A multipart body without its boundary is no body of that type at all: 400, not 415.
      int status = type.equals(MediaType.MULTIPART_FORM_DATA) ? 400 : 415;
      calls.add(new Call(endpoint, "sent as " + type, method, path, role, type, validJson, status, null));
    }
    for (String unknown : UNKNOWN_FIELDS) {
      add.field("unknown field " + describe(unknown), unknown, "1", unknown);
    }

    fields.forEach((field, kind) -> {
      // The same field twice: Jackson would keep the last one.
      add.body(field + " given twice", t -> withField(validJson.apply(t), field,
          json(kind == Kind.BOOLEAN || kind == Kind.OPTIONAL_BOOLEAN ? true : kind == Kind.DAYS ? 500 : kind == Kind.ID_LIST ? List.of() : "ADMIN")), field);
      boolean optional = kind == Kind.OPTIONAL_TEXT || kind == Kind.OPTIONAL_ID || kind == Kind.OPTIONAL_BOOLEAN
          || kind == Kind.COUNT;
      boolean text = kind == Kind.ID || kind == Kind.OPTIONAL_ID || kind == Kind.NAME || kind == Kind.TEXT
          || kind == Kind.OPTIONAL_TEXT;
      if (!optional) {
        add.body(field + " missing", t -> {
          Map<String, Object> body = new LinkedHashMap<>(valid.apply(t));
          body.remove(field);
          return json(body);
        }, field);
        add.field(field + " null", field, null, field);
      }
      if (text || kind == Kind.ENUM) {
        for (Object wrong : new Object[] {42, 1.5, true, List.of(), List.of("x"), Map.of()}) {
          add.field(field + " " + json(wrong), field, wrong, field);
        }
      }
      if (text && kind != Kind.OPTIONAL_TEXT) {
        add.field(field + " empty", field, "", field);
        add.field(field + " blanks", field, "   ", field);
      }
      if (kind == Kind.OPTIONAL_ID) {
        add.field(field + " of 101 characters", field, "1".repeat(101), field);
        for (String odd : ODD_IDS) {
          add.field(field + " " + describe(odd), field, odd, field);
        }
      }
      switch (kind) {
        case ID -> {
          add.field(field + " of 65 characters", field, "a".repeat(65), field);
          for (String odd : ODD_IDS) {
            add.field(field + " " + describe(odd), field, odd, field);
          }
        }
        case NAME -> {
          add.field(field + " of 201 characters", field, "n".repeat(201), field);
          for (String unprintable : UNPRINTABLE) {
            add.field(field + " " + describe(unprintable), field, unprintable, field);
          }
        }
        case TEXT, OPTIONAL_TEXT -> {
          add.field(field + " of 2001 characters", field, "j".repeat(2001), field);
          add.field(field + " of 10000 characters", field, HUGE, field);
          for (String unprintable : UNPRINTABLE) {
            add.field(field + " " + describe(unprintable), field, unprintable, field);
          }
        }
        case BOOLEAN, OPTIONAL_BOOLEAN -> {
          for (Object wrong : new Object[] {"true", "yes", 1, 0, List.of(true), Map.of()}) {
            add.field(field + " " + json(wrong), field, wrong, field);
          }
        }
        case ENUM -> {
          for (String wrong : List.of("read", "selected", "NOPE", "", "R E A D", "<script>", "' or '1'='1")) {
            add.field(field + " " + json(wrong), field, wrong, field);
          }
          // A number is no name from the list, not even the first one's position.
          for (Object wrong : new Object[] {0, 1, -1}) {
            add.field(field + " " + json(wrong), field, wrong, field);
          }
        }
        case DAYS -> {
          for (Object wrong : new Object[] {"30", 1.5, 400.0, 4e2, true, List.of(30), Map.of(), "", -1, 0, 3651}) {
            add.field(field + " " + json(wrong), field, wrong, field);
          }
          // Too big for any number the API takes: the JSON parser refuses it before any field.
          add.field(field + " 2147483648", field, 2147483648L, null);
        }
        case COUNT -> {
          for (Object wrong : new Object[] {"1", 1.5, true, List.of(1), Map.of(), "", -1, 11}) {
            add.field(field + " " + json(wrong), field, wrong, field);
          }
        }
        case ID_LIST -> {
          add.field(field + " a string", field, "x", field);
          add.field(field + " an object", field, Map.of(), field);
          add.field(field + " true", field, true, field);
          add.field(field + " 501 ids", field, java.util.Collections.nCopies(501, "x"), field);
          for (Object wrong : new Object[] {1, "", "a".repeat(65)}) {
            // The answer names the element: environmentIds[0].
            add.field(field + " holding " + json(wrong), field, List.of(wrong), null);
          }
          for (String odd : ODD_IDS) {
            add.field(field + " holding " + describe(odd), field, List.of(odd), null);
          }
        }
        default -> { }
      }
    });

    if (pathForId == null) {
      return calls;
    }
    List<BadPath> allPaths = new ArrayList<>(badPaths);
    // A lone surrogate has no UTF-8 form, so no URL can carry one; Tomcat itself refuses an
    // encoded NUL (%00) in a path, with its own 400 page, before the application sees it.
    for (String odd : ODD_IDS.stream().filter(odd -> !odd.contains("\uD800") && !odd.contains("\u0000")).toList()) {
      allPaths.add(new BadPath("id " + describe(odd), t -> odd));
    }
    for (BadPath bad : allPaths) {
      calls.add(new Call(endpoint, "path: " + bad.name(), method, t -> pathForId.apply(bad.id().apply(t)), role,
          MediaType.APPLICATION_JSON, validJson, bad.status(), null));
    }
    return calls;
  }

  /** {@code json} (an object) with one more member at its end, written as given. */
  private static String withField(String json, String name, String rawValue) {
    return json.substring(0, json.lastIndexOf('}')) + ",\"" + name + "\":" + rawValue + "}";
  }

  private static String describe(String odd) {
    return odd.length() > 20 ? odd.length() + " characters" : "\"" + odd.codePoints()
        .mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c))
        .reduce("", String::concat) + "\"";
  }

  // --- set-up and the database snapshot

  private String start(String environmentId, TestTenant tenant, AccessLevel level, String engineer) {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), environmentId, level), fixtures.as(engineer));
    new JobDriver(managementService).executeDueJobs(created.processInstanceId());
    return created.id();
  }

  private String lockboxOf(String requestId) {
    return jdbc.queryForObject("select id from lockbox_request where access_request_id = ?", String.class, requestId);
  }

  private String status(String requestId) {
    return jdbc.queryForObject("select status from access_request where id = ?", String.class, requestId);
  }

  /** "approver" and "admin" are the test tenant's; others are demo users. */
  private ApiClient as(String role) {
    return switch (role) {
      case "approver" -> api.as(targets.tenant().approver(), Fixtures.PASSWORD);
      case "admin" -> api.as(targets.tenant().admin(), Fixtures.PASSWORD);
      default -> api.as(role, "demo");
    };
  }

  /** Everything a write could change: domain rows, and the engine's instances, tasks, jobs and history. */
  private List<Object> snapshot() {
    List<Object> rows = new ArrayList<>();
    rows.add(jdbc.queryForList("select id, status, status_reason, internal_decided_by, internal_comment "
        + "from access_request order by id"));
    rows.add(jdbc.queryForList("select id, status, decided_by, comment from lockbox_request order by id"));
    rows.add(jdbc.queryForList("select id, ended_at, end_reason from access_grant order by id"));
    rows.add(jdbc.queryForList("select tenant_id, enabled, scope, updated_at, customer_may_revoke, escalation_group "
        + "from lockbox_policy order by tenant_id"));
    rows.add(jdbc.queryForList("select * from customer_revocation order by access_request_id"));
    rows.add(jdbc.queryForList("select * from lockbox_policy_environment order by tenant_id, environment_id"));
    rows.add(jdbc.queryForList("select id, tenant_id, name, managed from environment order by id"));
    rows.add(jdbc.queryForList("select id, audit_retention_days from tenant order by id"));
    for (String table : List.of("audit_event", "sent_notification", "act_ru_execution", "act_ru_task",
        "act_ru_job", "act_ru_variable", "act_hi_actinst", "act_hi_procinst")) {
      rows.add(table + "=" + jdbc.queryForObject("select count(*) from " + table, Long.class));
    }
    return rows;
  }

  /** As JSON with every character beyond ASCII escaped: a lone surrogate arrives as the escape \\ud800. */
  static String json(Object body) {
    try {
      return new ObjectMapper().enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature()).writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
