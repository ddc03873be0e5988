package io.wearlink.sdk

import java.time.Duration

/**
 * Every refusal of the WearLink API, and every failure to reach it, is a [WearLinkException].
 *
 * - [status]: the HTTP status (0 when no response arrived: network error, timeout, unreadable response).
 * - [detail]: the API's human-readable `detail` (for 422, the field errors joined as `loc: msg; ...`).
 * - [code]: the API's machine-readable `code` where it sends one (for example `role_forbidden`,
 *   `quota_exceeded`, `push_only`), for clients that must tell refusals apart; else null.
 * - [body]: the parsed JSON body of the error response (see [Json]), or its text when it was not JSON.
 *
 * Subclasses name the statuses a client commonly branches on; all other statuses (400, 413, 415, 5xx…) are
 * plain [WearLinkException]s.
 */
open class WearLinkException @JvmOverloads constructor(
    val status: Int,
    val detail: String,
    val code: String? = null,
    val body: Any? = null,
    cause: Throwable? = null
) : RuntimeException(describe(status, detail, code), cause) {
    companion object {
        private fun describe(status: Int, detail: String, code: String?): String {
            val prefix = if (status == 0) "WearLink request failed" else "WearLink API error $status"
            return if (code == null) "$prefix: $detail" else "$prefix ($code): $detail"
        }

        /**
         * The exception for an error response: its status, its body text, and its `Retry-After` header.
         * Public so that callers with their own transport can map responses the same way.
         */
        @JvmStatic
        fun fromResponse(status: Int, bodyText: String, retryAfterHeader: String?): WearLinkException {
            val parsed: Any? = try {
                if (bodyText.length == 0) null else Json.parse(bodyText)
            } catch (e: JsonParseException) {
                bodyText
            }
            val body = parsed ?: bodyText
            var code: String? = null
            var detail = "HTTP $status"
            val errors = ArrayList<FieldError>()
            if (parsed is Map<*, *>) {
                val c = parsed["code"]
                if (c is String) code = c
                val d = parsed["detail"]
                when (d) {
                    is String -> detail = d
                    is List<*> -> {
                        // Validation errors: [{loc, msg, type}, ...].
                        for (item in d) {
                            if (item is Map<*, *>) {
                                val loc = (item["loc"] as? List<*>)?.map { it.toString() } ?: emptyList()
                                errors.add(FieldError(loc, item["msg"]?.toString() ?: "", item["type"]?.toString()))
                            }
                        }
                        detail = errors.joinToString("; ") { it.toString() }
                    }
                    is Map<*, *> -> {
                        // Quota refusals put an object in detail: {code, message?, limit, used, plan, resource}.
                        val inner = d["code"]
                        if (code == null && inner is String) code = inner
                        val message = d["message"] ?: d["detail"]
                        detail = message?.toString() ?: Json.stringify(d)
                    }
                    null -> {
                    }
                    else -> detail = d.toString()
                }
            } else if (parsed is String && parsed.isNotEmpty()) {
                detail = if (parsed.length > 500) parsed.substring(0, 500) else parsed
            }
            return when (status) {
                401 -> UnauthorizedException(detail, code, body)
                403 -> ForbiddenException(detail, code, body)
                404 -> NotFoundException(detail, code, body)
                409 -> ConflictException(detail, code, body)
                422 -> ValidationException(detail, code, body, errors)
                429 -> RateLimitException(detail, code, body, parseRetryAfter(retryAfterHeader))
                else -> WearLinkException(status, detail, code, body)
            }
        }

        private fun parseRetryAfter(header: String?): Duration? {
            if (header == null) return null
            val trimmed = header.trim()
            val seconds = trimmed.toLongOrNull()
            if (seconds != null && seconds >= 0) return Duration.ofSeconds(seconds)
            // The HTTP-date form.
            return try {
                val at = java.time.ZonedDateTime.parse(trimmed, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                val wait = Duration.between(java.time.Instant.now(), at.toInstant())
                if (wait.isNegative) Duration.ZERO else wait
            } catch (e: java.time.format.DateTimeParseException) {
                null
            }
        }
    }
}

/** One field's validation error of a 422 response: where ([loc], such as `["query", "start_date"]`) and why. */
data class FieldError(val loc: List<String>, val msg: String, val type: String?) {
    override fun toString(): String = if (loc.isEmpty()) msg else "${loc.joinToString(".")}: $msg"
}

/** 401: the API key is missing, wrong or revoked. */
class UnauthorizedException(detail: String, code: String? = null, body: Any? = null) :
    WearLinkException(401, detail, code, body)

/** 403: the credential may not do this (for example a viewer's or a user-scoped credential). */
class ForbiddenException(detail: String, code: String? = null, body: Any? = null) :
    WearLinkException(403, detail, code, body)

/** 404: no such resource for this tenant (another developer's users are 404s too). */
class NotFoundException(detail: String, code: String? = null, body: Any? = null) :
    WearLinkException(404, detail, code, body)

/** 409: a conflict, for example a duplicate `external_id`. */
class ConflictException(detail: String, code: String? = null, body: Any? = null) :
    WearLinkException(409, detail, code, body)

/** 422: the request did not validate; [errors] lists each field's problem. */
class ValidationException(
    detail: String,
    code: String? = null,
    body: Any? = null,
    val errors: List<FieldError> = emptyList()
) : WearLinkException(422, detail, code, body)

/**
 * 429: rate limited or over a quota (`code` `quota_exceeded`). [retryAfter] is the server's `Retry-After`,
 * when it sent one.
 */
class RateLimitException(
    detail: String,
    code: String? = null,
    body: Any? = null,
    val retryAfter: Duration? = null
) : WearLinkException(429, detail, code, body)
