/**
 * Vigil events in the schemas SIEMs read (OCSF, ECS, CEF). Only the API package is exported; the mappers live in
 * {@code io.vigil.siem.internal}.
 */
module io.vigil.siem {
    requires io.vigil.core;
    requires com.fasterxml.jackson.databind;

    exports io.vigil.siem;
}
