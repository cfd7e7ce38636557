package io.customerlockbox.notify;

import static io.customerlockbox.Times.utc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.audit.ChainPosition;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestWithLockbox;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's webhooks and their delivery. The notification process takes its webhooks path only
 * when {@link #wanted} and calls {@link #deliver} in its own job, retried with growing pauses (the
 * model's retry cycle), so a slow or broken receiver never holds up the lockbox flow; each webhook
 * gets each notification once.
 */
@Service
public class WebhookService {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final LockboxRequestService lockboxRequests;
  private final NotificationService notifications;
  private final ObjectMapper json;
  private final LockboxProperties properties;
  private final HttpClient http;
  private final AuditTrail trail;

  WebhookService(JdbcClient jdbc, LockboxRequestService lockboxRequests,
      NotificationService notifications, ObjectMapper json, LockboxProperties properties, AuditTrail trail) {
    this.trail = trail;
    this.jdbc = jdbc;
    this.lockboxRequests = lockboxRequests;
    this.notifications = notifications;
    this.json = json;
    this.properties = properties;
    this.http = HttpClient.newBuilder().connectTimeout(timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  // --- the API

  @Transactional
  public Webhook register(String tenantId, String url, LockboxUser user) {
    RoleMatrix.requireManageTenant(user, tenantId);
    URI target = parse(url);
    checkTarget(target, "url");
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Webhook webhook = new Webhook(UUID.randomUUID().toString(), tenantId, target.toString(),
        HexFormat.of().formatHex(secret), Times.now(), user.id());
    jdbc.sql("insert into webhook (id, tenant_id, url, secret, created_at, created_by) values (?, ?, ?, ?, ?, ?)")
        .params(webhook.id(), tenantId, webhook.url(), webhook.secret(), utc(webhook.createdAt()), user.id())
        .update();
    return webhook;
  }

  @Transactional(readOnly = true)
  public List<Webhook> list(String tenantId, LockboxUser user) {
    RoleMatrix.requireManageTenant(user, tenantId);
    return ofTenant(tenantId).stream().map(Webhook::withoutSecret).toList();
  }

  @Transactional
  public void delete(String tenantId, String id, LockboxUser user) {
    RoleMatrix.requireManageTenant(user, tenantId);
    if (jdbc.sql("delete from webhook where id = ? and tenant_id = ?").params(id, tenantId).update() == 0) {
      throw Refusal.notFound("No webhook " + id);
    }
  }

  // --- delivery

  /**
   * Whether the notification model's webhooks path is taken: the occasion concerns the customer
   * and the request's tenant registered a webhook (one statement). Asked as the notification
   * starts; a webhook registered after that hears of the next notification.
   */
  public boolean wanted(Occasion occasion, String accessRequestId) {
    return occasion.tellsTheCustomer() && jdbc.sql("select count(*) from webhook w join access_request r "
        + "on r.tenant_id = w.tenant_id where r.id = ?").param(accessRequestId).query(Integer.class).single() > 0;
  }

  /**
   * POSTs the notification to every webhook of the request's tenant (those registered now: one
   * deleted since the notification started is not called); a failure fails the job, which retries.
   */
  public void deliver(Occasion occasion, String accessRequestId, String stepKey) {
    if (!occasion.tellsTheCustomer()) {
      return;
    }
    List<Webhook> webhooks = ofTenantOfRequest(accessRequestId);
    if (webhooks.isEmpty()) {
      return;
    }
    AccessRequestWithLockbox latest = lockboxRequests.withLatestLockbox(accessRequestId);
    AccessRequest request = latest.request();
    LockboxRequest lockbox = latest.lockbox();
    notifications.deliver(webhooks.stream().map(webhook -> {
      String deliveryId = stepKey + "/" + webhook.id();
      return new NotificationService.Delivery(deliveryId, "WEBHOOK", webhook.url(), () -> {
        ChainPosition head = trail.position(request.tenantId());
        post(webhook, occasion, deliveryId, head, payload(occasion, deliveryId, request, lockbox, head));
      });
    }).toList());
  }

  private Map<String, Object> payload(Occasion occasion, String deliveryId, AccessRequest request,
      LockboxRequest lockbox, ChainPosition head) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", occasion.name());
    body.put("deliveryId", deliveryId);
    body.put("sentAt", Times.now().toString());
    body.put("tenantId", request.tenantId());
    body.put("environmentId", request.environmentId());
    body.put("accessRequestId", request.id());
    body.put("supportTicketId", request.supportTicketId());
    body.put("requestedBy", request.requestedBy());
    body.put("accessLevel", request.accessLevel().name());
    body.put("justification", request.justification());
    body.put("status", request.status().name());
    body.put("breakGlass", request.breakGlass());
    if (lockbox != null) {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("id", lockbox.id());
      part.put("status", lockbox.status().name());
      part.put("expiresAt", instant(lockbox.expiresAt()));
      part.put("decidedBy", lockbox.decidedBy());
      part.put("url", properties.publicUrl() + "/lockbox/requests/" + lockbox.id());
      body.put("lockbox", part);
    }
    // Where the tenant's audit trail stood as this was sent: signed with the body, to check an export against.
    Map<String, Object> auditHead = new LinkedHashMap<>();
    auditHead.put("position", head.position());
    auditHead.put("hash", head.hash());
    body.put("auditHead", auditHead);
    return body;
  }

  private static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private void post(Webhook webhook, Occasion occasion, String deliveryId, ChainPosition head,
      Map<String, Object> payload) {
    URI target = parse(webhook.url());
    checkTarget(target, "url"); // again: the name may resolve elsewhere now than when it was registered
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String timestamp = Long.toString(Times.now().getEpochSecond());
    HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout())
        .header("Content-Type", "application/json")
        .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(webhook.secret(), timestamp, body))
        .header(WebhookSignature.DELIVERY_HEADER, deliveryId)
        .header(WebhookSignature.EVENT_HEADER, occasion.name())
        .header(Notification.AUDIT_HEAD_HEADER, head.toString())
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new UncheckedIOException("Webhook " + webhook.id() + " at " + target + " is unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling webhook " + webhook.id(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Webhook " + webhook.id() + " at " + target + " answered "
          + response.statusCode());
    }
  }

  private List<Webhook> ofTenant(String tenantId) {
    return webhooks("where w.tenant_id = ?", tenantId);
  }

  private List<Webhook> ofTenantOfRequest(String accessRequestId) {
    return webhooks("join access_request r on r.tenant_id = w.tenant_id where r.id = ?", accessRequestId);
  }

  private List<Webhook> webhooks(String joinAndWhere, String param) {
    return jdbc.sql("select w.id, w.tenant_id, w.url, w.secret, w.created_at, w.created_by from webhook w "
            + joinAndWhere + " order by w.created_at, w.id")
        .param(param)
        .query((rs, n) -> new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            Times.instant(rs.getObject(5, OffsetDateTime.class)), rs.getString(6)))
        .list();
  }

  private static URI parse(String url) {
    if (url == null || url.isBlank() || url.length() > 2000) {
      throw Refusal.invalid("url", "url: an http or https URL of at most 2000 characters");
    }
    try {
      URI uri = new URI(url.strip());
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getUserInfo() != null) {
        throw Refusal.invalid("url", "url: an http or https URL with a host and no user info");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw Refusal.invalid("url", "url: not a URL (" + e.getReason() + ")");
    }
  }

  /**
   * Refuses loopback, private and link-local targets unless {@code lockbox.webhooks.allow-private-addresses}:
   * otherwise a tenant admin could make the server call into the provider's own network.
   */
  private void checkTarget(URI target, String field) {
    if (properties.webhooks() != null && properties.webhooks().allowPrivateAddresses()) {
      return;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(target.getHost())) {
        boolean uniqueLocal6 = address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
            || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal6) {
          throw Refusal.invalid(field, field + ": " + target.getHost()
              + " is a private or local address; webhooks go to the public internet");
        }
      }
    } catch (UnknownHostException e) {
      throw Refusal.invalid(field, field + ": unknown host " + target.getHost());
    }
  }

  private Duration timeout() {
    return properties.webhooks() == null || properties.webhooks().timeout() == null
        ? Duration.ofSeconds(10) : properties.webhooks().timeout();
  }
}
