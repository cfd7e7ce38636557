package io.customerlockbox.web;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The two doors a newcomer tries first. {@code /} is a page listing the product's pages (links
 * only, no data, so it needs no sign-in, like the login pages it leads to); {@code /api/} answers
 * with the API's OpenAPI description, to any signed-in user (the API's security chain).
 */
@Controller
@Hidden
class IndexController {

  @GetMapping("/")
  String index(Model model) {
    model.addAttribute("entryPoints", EntryPoints.ALL);
    return "index";
  }

  @GetMapping({"/api", "/api/"})
  String apiDescription() {
    return "forward:" + ApiDescription.PATH;
  }
}
