package io.wearlink.sdk

/** A tiny assertion kit for the check program (no test framework: nothing beyond the JDK and Kotlin). */
object Check {
    var passed = 0
        private set

    fun that(condition: Boolean, message: () -> String) {
        if (!condition) throw AssertionError(message())
        passed++
    }

    fun <T> equal(expected: T, actual: T, what: String) {
        that(expected == actual) { "$what: expected <$expected>, got <$actual>" }
    }

    /** Runs [block], which must throw an [E]; returns it. */
    inline fun <reified E : Throwable> throws(what: String, block: () -> Unit): E {
        try {
            block()
        } catch (e: Throwable) {
            if (e is E) {
                that(true) { what }
                return e
            }
            throw AssertionError("$what: expected ${E::class.java.simpleName}, got $e", e)
        }
        throw AssertionError("$what: expected ${E::class.java.simpleName}, nothing was thrown")
    }
}

/** The JSON reader and writer, offline. */
object JsonCheck {
    fun run() {
        // Values and their types.
        val doc = Json.parse(
            """ { "s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "i": 42, "neg": -7, "zero": 0, "f": 1.5, "e": 1e3,
                "E": -2.5E-2, "big": 9223372036854775808, "max": 9223372036854775807, "t": true, "fa": false,
                "n": null, "a": [1, [2, []], {}], "o": {"k": {"k2": "v"}} } """
        )
        Check.that(doc is Map<*, *>) { "object parses to a Map" }
        val m = doc as Map<*, *>
        Check.equal("a\"b\\c/d\n\té\uD83D\uDE00", m["s"], "string escapes and surrogate pair")
        Check.equal(42L, m["i"], "integer -> Long")
        Check.equal(-7L, m["neg"], "negative integer")
        Check.equal(0L, m["zero"], "zero")
        Check.equal(1.5, m["f"], "fraction -> Double")
        Check.equal(1000.0, m["e"], "exponent -> Double")
        Check.equal(-0.025, m["E"], "negative exponent")
        Check.equal(9.223372036854775808E18, m["big"], "integer beyond Long -> Double")
        Check.equal(Long.MAX_VALUE, m["max"], "Long.MAX_VALUE stays a Long")
        Check.equal(true, m["t"], "true")
        Check.equal(false, m["fa"], "false")
        Check.that(m.containsKey("n") && m["n"] == null) { "null kept as a key with a null value" }
        Check.equal(listOf(1L, listOf(2L, emptyList<Any?>()), emptyMap<String, Any?>()), m["a"], "nested arrays")
        Check.equal(mapOf("k" to mapOf("k2" to "v")), m["o"], "nested objects")
        Check.equal(listOf("s", "i", "neg", "zero", "f", "e", "E", "big", "max", "t", "fa", "n", "a", "o"), m.keys.toList(), "key order kept")
        Check.equal("x", Json.parse("\"x\""), "a bare string")
        Check.equal(null, Json.parse(" null "), "a bare null")
        Check.equal(emptyList<Any?>(), Json.parse("[ ]"), "empty array with whitespace")

        // Malformed input is refused with its offset.
        val bad = listOf(
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "01", "-", "1.", "1e", ".5", "+1",
            "tru", "nul", "\"abc", "\"a\\x\"", "\"\\u12G4\"", "\"a\nb\"", "[1] x", "NaN", "'a'", "{\"a\":}"
        )
        for (text in bad) {
            Check.throws<JsonParseException>("refuses ${Json.stringify(text)}") { Json.parse(text) }
        }
        val e = Check.throws<JsonParseException>("reports an offset") { Json.parse("[1, 2, x]") }
        Check.equal(7, e.offset, "offset of the bad character")
        Check.throws<JsonParseException>("refuses nesting deeper than 512") { Json.parse("[".repeat(600) + "]".repeat(600)) }
        Check.equal(1, (Json.parse("[".repeat(500) + "1" + "]".repeat(500)) as List<*>).size, "500 levels are fine")

        // Writing.
        Check.equal("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}", Json.stringify(linkedMapOf("a" to 1, "b" to listOf(true, false, null), "c" to "x")), "compact output")
        Check.equal("\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f\\u2028é😀\"", Json.stringify("q\"b\\n\nt\tc\u0001\u001f\u2028é😀"), "string escapes on output")
        Check.equal("1", Json.stringify(1.0), "integral double without .0")
        Check.equal("0.1", Json.stringify(0.1), "fraction")
        Check.equal("-3", Json.stringify(-3L), "negative long")
        Check.equal("[1,2]", Json.stringify(arrayOf(1, 2)), "arrays")
        Check.equal("\"lunch\"", Json.stringify(MealType.LUNCH), "enums as their wire value")
        Check.throws<IllegalArgumentException>("NaN refused") { Json.stringify(Double.NaN) }
        Check.throws<IllegalArgumentException>("non-string keys refused") { Json.stringify(mapOf(1 to 2)) }

        // Round trips.
        val samples = listOf(
            "{\"a\":[1,2.5,-3,\"x\\ny\",{\"b\":null}],\"c\":{},\"d\":[],\"e\":\"\\u0000\",\"f\":1.0E-7}",
            "[\"\\\"\\\\\",true,false,null,0,-0.5,123456789012]"
        )
        for (text in samples) {
            val once = Json.stringify(Json.parse(text))
            Check.equal(Json.parse(text), Json.parse(once), "round trip of $text")
            Check.equal(once, Json.stringify(Json.parse(once)), "stable output of $text")
        }
    }
}

/** Error mapping, response reading and multipart encoding, offline. */
object OfflineCheck {
    fun run() {
        val e401 = WearLinkException.fromResponse(401, "{\"detail\":\"Invalid API key\"}", null)
        Check.that(e401 is UnauthorizedException && e401.status == 401 && e401.detail == "Invalid API key") { "401: $e401" }
        val e403 = WearLinkException.fromResponse(403, "{\"detail\":\"Viewers cannot change anything\",\"code\":\"role_forbidden\"}", null)
        Check.that(e403 is ForbiddenException && e403.code == "role_forbidden") { "403 with code: $e403" }
        Check.that(WearLinkException.fromResponse(404, "{\"detail\":\"User not found\"}", null) is NotFoundException) { "404" }
        Check.that(WearLinkException.fromResponse(409, "{\"detail\":\"dup\"}", null) is ConflictException) { "409" }
        val e422 = WearLinkException.fromResponse(
            422,
            "{\"detail\":[{\"loc\":[\"query\",\"start_date\"],\"msg\":\"must be a date\",\"type\":\"invalid_type\"},{\"loc\":[\"body\"],\"msg\":\"bad\",\"type\":\"custom\"}]}",
            null
        )
        Check.that(e422 is ValidationException) { "422 is a ValidationException" }
        val v = e422 as ValidationException
        Check.equal(2, v.errors.size, "422 field errors")
        Check.equal(listOf("query", "start_date"), v.errors[0].loc, "422 loc")
        Check.equal("invalid_type", v.errors[0].type, "422 type")
        Check.equal("query.start_date: must be a date; body: bad", v.detail, "422 detail joins the errors")
        val e429 = WearLinkException.fromResponse(429, "{\"detail\":\"Too many requests. Please wait 7 seconds and try again.\"}", "7")
        Check.that(e429 is RateLimitException && e429.retryAfter == java.time.Duration.ofSeconds(7)) { "429 Retry-After seconds: $e429" }
        val quota = WearLinkException.fromResponse(
            429,
            "{\"detail\":{\"code\":\"quota_exceeded\",\"message\":\"Daily photo quota reached\",\"limit\":5,\"used\":5,\"plan\":\"hobby\",\"resource\":\"nutrition_image\"}}",
            null
        )
        Check.that(quota is RateLimitException && quota.code == "quota_exceeded" && quota.detail == "Daily photo quota reached" && quota.retryAfter == null) {
            "429 quota object: $quota"
        }
        val later = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(120)
        val dated = WearLinkException.fromResponse(429, "", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(later)) as RateLimitException
        Check.that(dated.retryAfter != null && dated.retryAfter.seconds in 100..120) { "429 Retry-After HTTP date: ${dated.retryAfter}" }
        val e500 = WearLinkException.fromResponse(502, "<html>Bad gateway</html>", null)
        Check.that(e500.javaClass == WearLinkException::class.java && e500.status == 502 && e500.detail == "<html>Bad gateway</html>") { "502 non-JSON: $e500" }
        Check.equal("HTTP 503", WearLinkException.fromResponse(503, "", null).detail, "empty error body")
        Check.that(e401.message!!.contains("401") && e403.message!!.contains("role_forbidden")) { "messages name status and code" }

        // Readers name the field that is missing or mistyped.
        val shape = Check.throws<ResponseShapeException>("a user without id") {
            Read.user(Fields.of(Json.parse("{\"first_name\":\"A\",\"created_at\":\"x\",\"updated_at\":\"y\"}"), "user"))
        }
        Check.that(shape.message!!.contains("user.id")) { "shape error names the field: ${shape.message}" }
        Check.throws<ResponseShapeException>("a mistyped field") {
            Read.connection(
                Fields.of(
                    Json.parse("{\"id\":\"1\",\"user_id\":\"u\",\"provider\":\"p\",\"status\":\"active\",\"connected_at\":\"t\",\"schedule_enabled\":\"yes\"}"),
                    "connection"
                )
            )
        }

        // Multipart bodies.
        val form = Multipart()
        form.field("meal_type", "lunch")
        form.file("file", "my \"meal\".jpg", "image/jpeg", byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte(), 0, 13, 10))
        val body = form.build()
        val text = String(body, Charsets.ISO_8859_1)
        val boundary = form.contentType().substringAfter("boundary=")
        Check.that(form.contentType().startsWith("multipart/form-data; boundary=")) { "content type" }
        Check.that(text.startsWith("--$boundary\r\nContent-Disposition: form-data; name=\"meal_type\"\r\n\r\nlunch\r\n")) { "a text field: $text" }
        Check.that(text.contains("name=\"file\"; filename=\"my %22meal%22.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u00FF\u00D8\u00FF\u0000\r\n\r\n")) {
            "a file part, bytes intact and quotes escaped: $text"
        }
        Check.that(text.endsWith("\r\n--$boundary--\r\n")) { "closing boundary" }
        Check.equal("image/jpeg", Multipart.imageType(byteArrayOf(0xFF.toByte(), 0xD8.toByte(), 0xFF.toByte()), "x.bin"), "JPEG by content")
        Check.equal("image/png", Multipart.imageType(byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47, 13, 10, 26, 10), "x"), "PNG by content")
        Check.equal("image/heic", Multipart.imageType("\u0000\u0000\u0000\u0018ftypheic".toByteArray(Charsets.ISO_8859_1), "x"), "HEIC by content")
        Check.equal("image/png", Multipart.imageType(ByteArray(0), "photo.PNG"), "by name")
        Check.equal("application/octet-stream", Multipart.imageType(ByteArray(2), "notes.txt"), "unknown")
        Check.equal("a%20b%2Fc%3F%26%3D%C3%A9", WearLinkClient.encode("a b/c?&=é"), "URL encoding")

        Check.throws<IllegalArgumentException>("an empty API key") { WearLinkClient("") }
        Check.throws<IllegalArgumentException>("a base URL without scheme") { WearLinkClient("sk-x", "wearlink.example.com") }
    }
}
