package io.vigil.example.gateway.api;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where a form login lands. */
@RestController
public class HomeController {

    @GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE)
    public String home(Authentication user) {
        return "Signed in to the gateway as " + user.getName() + ".\n";
    }
}
