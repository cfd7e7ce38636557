package io.customerlockbox.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** A file the browser saves rather than shows, written as it streams (an audit export). */
public final class Downloads {

  private Downloads() {}

  public static ResponseEntity<StreamingResponseBody> attachment(String fileName, String mediaType,
      StreamingResponseBody body) {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.parseMediaType(mediaType), StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
        .body(body);
  }
}
