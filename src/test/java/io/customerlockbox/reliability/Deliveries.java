package io.customerlockbox.reliability;

import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpServer;
import io.customerlockbox.notify.WebhookSignature;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a receiving side took, counted by the id each delivery carries (a mail's Message-ID, a
 * webhook's X-Lockbox-Delivery): distinct deliveries, and repeats of one.
 */
final class Deliveries {

  private final Map<String, Integer> copies = new ConcurrentHashMap<>();

  void add(String id) {
    copies.merge(id, 1, Integer::sum);
  }

  /** The mails a mail server holds, by Message-ID. */
  static Deliveries mails(GreenMail server) {
    Deliveries mails = new Deliveries();
    for (MimeMessage message : server.getReceivedMessages()) {
      try {
        mails.add(message.getMessageID());
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return mails;
  }

  /** A webhook receiver on 127.0.0.1 that answers 204 and counts what it took; stop it with {@link HttpServer#stop}. */
  static HttpServer webhookReceiver(Deliveries into) {
    try {
      HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      receiver.createContext("/hooks", exchange -> {
        exchange.getRequestBody().readAllBytes();
        into.add(exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      });
      receiver.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int distinct() {
    return copies.size();
  }

  int total() {
    return copies.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Copies beyond the first of each delivery. */
  int repeats() {
    return total() - distinct();
  }

  int mostCopies() {
    return copies.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  Map<String, Integer> repeated() {
    Map<String, Integer> repeated = new TreeMap<>();
    copies.forEach((id, n) -> {
      if (n > 1) {
        repeated.put(id, n);
      }
    });
    return repeated;
  }
}
