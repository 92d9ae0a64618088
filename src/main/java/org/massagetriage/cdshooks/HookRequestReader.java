package org.massagetriage.cdshooks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a CDS Hooks 2.0 {@code appointment-book} call strictly: every field the spec defines for the
 * request and the hook's context is checked, a field it does not define is refused (a misspelt
 * {@code prefetch} key must not silently become "no check-in"), and every problem is named at once.
 */
@ApplicationScoped
public class HookRequestReader {

    static final String HOOK = "appointment-book";
    static final String PREFETCH_KEY = "checkIn";
    private static final java.util.regex.Pattern BEARER_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private static final Set<String> FIELDS = Set.of("hook", "hookInstance", "fhirServer", "fhirAuthorization",
            "context", "prefetch", "extension");
    private static final Set<String> CONTEXT_FIELDS = Set.of("userId", "patientId", "encounterId", "appointments");
    private static final Set<String> AUTHORIZATION_FIELDS = Set.of("access_token", "token_type", "expires_in", "scope",
            "subject", "patient");

    HookRequest read(byte[] body) {
        JsonNode root = StrictJson.object(body, "a CDS Hooks request");
        List<Problem.FieldError> errors = new ArrayList<>();
        StrictJson.unknownFields(root, FIELDS, "", "this hook\'s request", errors);
        String hook = text(root, "hook", "hook", true, errors);
        if (hook != null && !hook.equals(HOOK)) {
            errors.add(new Problem.FieldError("hook", "this service answers the hook " + HOOK + ", not '" + hook + "'"));
        }
        UUID hookInstance = null;
        String instance = text(root, "hookInstance", "hookInstance", true, errors);
        if (instance != null) {
            try {
                hookInstance = UUID.fromString(instance);
                if (!hookInstance.toString().equalsIgnoreCase(instance)) {
                    throw new IllegalArgumentException("not canonical");
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("hookInstance", "must be a UUID (CDS Hooks 2.0)"));
            }
        }
        String userId = null;
        String patientId = null;
        JsonNode context = root.get("context");
        if (context == null || !context.isObject()) {
            errors.add(new Problem.FieldError("context", context == null ? "is required" : "must be an object"));
        } else {
            StrictJson.unknownFields(context, CONTEXT_FIELDS, "context.", "this hook\'s request", errors);
            userId = text(context, "userId", "context.userId", true, errors);
            patientId = text(context, "patientId", "context.patientId", true, errors);
            text(context, "encounterId", "context.encounterId", false, errors);
            JsonNode appointments = context.get("appointments");
            if (appointments == null || !appointments.isObject()
                    || !"Bundle".equals(appointments.path("resourceType").textValue())) {
                errors.add(new Problem.FieldError("context.appointments",
                        appointments == null ? "is required (a FHIR Bundle of the proposed appointments)"
                                : "must be a FHIR Bundle of the proposed appointments"));
            }
        }
        if (patientId != null && !patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            errors.add(new Problem.FieldError("context.patientId", "must be a FHIR id (letters, digits, '-' and '.', at most 64)"));
            patientId = null;
        }
        boolean prefetched = false;
        JsonNode checkIn = null;
        JsonNode prefetch = root.get("prefetch");
        if (prefetch != null && !prefetch.isNull()) {
            if (!prefetch.isObject()) {
                errors.add(new Problem.FieldError("prefetch", "must be an object"));
            } else {
                StrictJson.unknownFields(prefetch, Set.of(PREFETCH_KEY), "prefetch.", "this hook\'s request", errors);
                JsonNode item = prefetch.get(PREFETCH_KEY);
                if (item != null && !item.isNull()) {
                    String type = item.path("resourceType").textValue();
                    if (!item.isObject() || type == null) {
                        errors.add(new Problem.FieldError("prefetch.checkIn", "must be a FHIR resource or null"));
                    } else if (type.equals("Bundle") || type.equals("QuestionnaireResponse")) {
                        prefetched = true;
                        checkIn = item;
                    } else if (!type.equals("OperationOutcome")) {
                        // An OperationOutcome is how a client says that it could not prefetch (2.0).
                        errors.add(new Problem.FieldError("prefetch.checkIn", "must be a Bundle or a QuestionnaireResponse"
                                + " (or an OperationOutcome or null when it could not be fetched), not " + type));
                    }
                }
            }
        }
        URI fhirServer = fhirServer(root, errors);
        String accessToken = null;
        JsonNode authorization = root.get("fhirAuthorization");
        if (authorization != null && !authorization.isNull()) {
            if (!authorization.isObject()) {
                errors.add(new Problem.FieldError("fhirAuthorization", "must be an object"));
            } else {
                StrictJson.unknownFields(authorization, AUTHORIZATION_FIELDS, "fhirAuthorization.", "this hook\'s request", errors);
                accessToken = text(authorization, "access_token", "fhirAuthorization.access_token", true, errors);
                if (accessToken != null && !BEARER_TOKEN.matcher(accessToken).matches()) {
                    // Refused here, unechoed: a character a header cannot carry would otherwise fail deep in the
                    // HTTP client with the header's value, token and all, in the exception message.
                    errors.add(new Problem.FieldError("fhirAuthorization.access_token",
                            "is not a bearer token (RFC 6750: letters, digits and -._~+/ then any '=')"));
                    accessToken = null;
                }
                String type = text(authorization, "token_type", "fhirAuthorization.token_type", true, errors);
                if (type != null && !type.equals("Bearer")) {
                    errors.add(new Problem.FieldError("fhirAuthorization.token_type", "must be Bearer"));
                }
                JsonNode expires = authorization.get("expires_in");
                if (expires == null || !expires.canConvertToInt() || !expires.isIntegralNumber()) {
                    errors.add(new Problem.FieldError("fhirAuthorization.expires_in", "is required: a whole number of seconds"));
                }
                text(authorization, "scope", "fhirAuthorization.scope", true, errors);
                text(authorization, "subject", "fhirAuthorization.subject", true, errors);
                if (root.get("fhirServer") == null) {
                    errors.add(new Problem.FieldError("fhirAuthorization", "is given without fhirServer, the only server it may be sent to"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new HookRequest(hookInstance, userId, patientId, prefetched, checkIn, fhirServer, accessToken);
    }

    /**
     * The client's FHIR server: https, or http on this machine's loopback only (a test's FHIR stub),
     * because the client's access token travels with every request to it.
     */
    private static URI fhirServer(JsonNode root, List<Problem.FieldError> errors) {
        String value = text(root, "fhirServer", "fhirServer", false, errors);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                    || !(scheme.equals("https") || scheme.equals("http") && isLoopback(uri.getHost()))) {
                errors.add(new Problem.FieldError("fhirServer",
                        "must be the https base URL of the FHIR server, without query or fragment (http only on loopback)"));
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            errors.add(new Problem.FieldError("fhirServer", "is not a URL"));
            return null;
        }
    }

    private static boolean isLoopback(String host) {
        if (!host.equals("localhost") && !host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
            return false; // never resolve a name here: only literal loopback addresses count
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static String text(JsonNode parent, String name, String path, boolean required, List<Problem.FieldError> errors) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Problem.FieldError(path, "is required"));
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add(new Problem.FieldError(path, "must be a non-empty string"));
            return null;
        }
        if (node.textValue().length() > 4096) {
            errors.add(new Problem.FieldError(path, "is longer than 4096 characters"));
            return null;
        }
        return node.textValue();
    }

}
