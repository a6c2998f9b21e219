package io.vigil.helper;

/** How a principal authenticated; recorded in {@code details.method}. The first four are the legacy method names. */
public enum AuthMethod {
    TOKEN("token"),
    PASSWORD("password"),
    TAILSCALE("tailscale"),
    DEVICE("device"),
    API_KEY("api_key"),
    OAUTH("oauth"),
    SAML("saml"),
    CERTIFICATE("certificate"),
    PASSKEY("passkey");

    private final String jsonName;

    AuthMethod(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name written to {@code details.method}. */
    public String jsonName() {
        return jsonName;
    }
}
