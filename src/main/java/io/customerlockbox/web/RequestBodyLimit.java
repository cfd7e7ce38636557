package io.customerlockbox.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies of our API (small JSON documents) and of the engine REST API (deployments at
 * most), so nobody ties up memory or the database with a huge body. A declared length over the cap
 * is refused with 413 before anything reads it; a chunked body is cut off at the cap.
 */
@Component
class RequestBodyLimit extends OncePerRequestFilter {

  @ConfigurationProperties("lockbox.limits")
  record Limits(DataSize apiBody, DataSize engineRestBody) {}

  private final Limits limits;

  RequestBodyLimit(Limits limits) {
    this.limits = limits;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    DataSize limit = path.startsWith("/api/") ? limits.apiBody()
        : path.startsWith("/engine-rest/") ? limits.engineRestBody() : null;
    if (limit == null) {
      chain.doFilter(request, response);
      return;
    }
    long max = limit.toBytes();
    if (request.getContentLengthLong() > max) {
      response.setStatus(413);
      response.setContentType("application/problem+json");
      response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
          + "\"detail\":\"The request body may have at most " + max + " bytes.\"}");
      return;
    }
    chain.doFilter(new Capped(request, max), response);
  }

  /** Reads at most {@code max} bytes; more fails the read, so a chunked body cannot grow past the cap. */
  private static final class Capped extends HttpServletRequestWrapper {

    private final long max;
    private ServletInputStream stream;

    Capped(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream = new ServletInputStream() {
          private long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++read > max) {
              throw new IOException("Request body larger than " + max + " bytes");
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0 && (read += n) > max) {
              throw new IOException("Request body larger than " + max + " bytes");
            }
            return n;
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
