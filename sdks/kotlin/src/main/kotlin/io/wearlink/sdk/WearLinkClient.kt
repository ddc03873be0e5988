package io.wearlink.sdk

import java.io.ByteArrayOutputStream
import java.io.File
import java.io.IOException
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.util.UUID
import java.util.concurrent.CompletableFuture

/**
 * A client of the WearLink API, authenticated by an API key (sent as `X-WearLink-API-Key`).
 *
 * Every operation has a blocking form (`listProviders()`) and a [CompletableFuture] form (`listProvidersAsync()`).
 * Blocking calls throw [WearLinkException] (or a subclass per status); futures complete exceptionally with the
 * same exception (so `future.get()` throws an `ExecutionException` whose cause is it, and
 * `future.exceptionally { e -> ... }` receives it directly).
 *
 * Thread-safe: share one client per API key. It holds a [HttpClient] (one connection pool).
 *
 * @param apiKey the API key (`sk-...`) from the dashboard or `POST /api/v1/auth/register`.
 * @param baseUrl the WearLink server, for example `https://wearlink.example.com` (no `/api/v1`).
 * @param httpClient the JDK HTTP client to use (for proxies, TLS, executors).
 * @param requestTimeout how long one request may take before it fails with status 0.
 */
class WearLinkClient @JvmOverloads constructor(
    private val apiKey: String,
    baseUrl: String = DEFAULT_BASE_URL,
    private val httpClient: HttpClient = defaultHttpClient(),
    private val requestTimeout: Duration = Duration.ofSeconds(60)
) {
    companion object {
        const val DEFAULT_BASE_URL = "http://127.0.0.1:8000"
        const val VERSION = "0.1.0"
        private const val USER_AGENT = "wearlink-kotlin/$VERSION"

        // Redirects are not followed: the JDK client would send the API key header to the redirect's host too.
        private fun defaultHttpClient(): HttpClient =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()

        /** Percent-encodes one path segment or query component (spaces as %20, not +). */
        internal fun encode(value: String): String =
            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
    }

    private val baseUrl: String = baseUrl.trimEnd('/')

    init {
        require(apiKey.isNotBlank()) { "apiKey is empty" }
        require(this.baseUrl.startsWith("http://") || this.baseUrl.startsWith("https://")) {
            "baseUrl must be an http(s) URL, got $baseUrl"
        }
    }

    // ---- Providers and connections (spec 001 v0.1) ----

    /** The provider catalogue, with whether your users can connect each one ([Provider.isConfigured]). */
    fun listProviders(): List<Provider> = execute(listProvidersCall())

    fun listProvidersAsync(): CompletableFuture<List<Provider>> = runAsync { listProvidersCall() }

    private fun listProvidersCall() = Call(get("/api/v1/providers")) { body ->
        Fields.of(body, "providers").objects("data") { Read.provider(it) }
    }

    /** A user's provider connections. */
    fun connectionsFor(userId: String): List<Connection> = execute(connectionsCall(userId))

    fun connectionsForAsync(userId: String): CompletableFuture<List<Connection>> = runAsync { connectionsCall(userId) }

    private fun connectionsCall(userId: String) = Call(get("/api/v1/users/${encode(userId)}/connections")) { body ->
        Fields.list(body, "connections").mapIndexed { i, v -> Read.connection(Fields.of(v, "connections[$i]")) }
    }

    // ---- Daily summaries (spec 001 v0.1) ----

    /** Daily activity per local day of the user, from [dateFrom] to [dateTo] inclusive (at most 366 days). */
    fun summariesFor(userId: String, dateFrom: LocalDate, dateTo: LocalDate): List<ActivitySummary> =
        execute(summariesCall(userId, dateFrom, dateTo))

    fun summariesForAsync(userId: String, dateFrom: LocalDate, dateTo: LocalDate): CompletableFuture<List<ActivitySummary>> =
        runAsync { summariesCall(userId, dateFrom, dateTo) }

    private fun summariesCall(userId: String, dateFrom: LocalDate, dateTo: LocalDate) = Call(
        get(
            "/api/v1/users/${encode(userId)}/summaries/activity",
            listOf("start_date" to dateFrom.toString(), "end_date" to dateTo.toString())
        )
    ) { body -> Fields.of(body, "summaries").objects("data") { Read.activity(it) } }

    // ---- Meal photos (spec 001 v0.1) ----

    /**
     * Uploads a meal photo (JPEG, PNG or HEIC, at most 5 MiB) for recognition. The answer comes at once with
     * the log `pending`; recognition runs in the background. Over the plan's daily photo quota: a
     * [RateLimitException] with code `quota_exceeded`.
     *
     * @param mealType the meal, or null to leave it unset.
     * @param note a free-text note (at most 1000 characters).
     * @param detectedAt when the meal was eaten (within a year of now).
     */
    @JvmOverloads
    fun uploadMealImage(
        userId: String,
        file: File,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): MealImageAccepted = execute(mealImageCall(userId, readFile(file.toPath()), file.name, mealType, note, detectedAt))

    @JvmOverloads
    fun uploadMealImageAsync(
        userId: String,
        file: File,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): CompletableFuture<MealImageAccepted> =
        runAsync { mealImageCall(userId, readFile(file.toPath()), file.name, mealType, note, detectedAt) }

    /** [uploadMealImage] from a [Path]. */
    @JvmOverloads
    fun uploadMealImage(
        userId: String,
        file: Path,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): MealImageAccepted = execute(mealImageCall(userId, readFile(file), file.fileName.toString(), mealType, note, detectedAt))

    @JvmOverloads
    fun uploadMealImageAsync(
        userId: String,
        file: Path,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): CompletableFuture<MealImageAccepted> =
        runAsync { mealImageCall(userId, readFile(file), file.fileName.toString(), mealType, note, detectedAt) }

    /** [uploadMealImage] from bytes in memory (a camera capture), named [fileName]. */
    @JvmOverloads
    fun uploadMealImage(
        userId: String,
        bytes: ByteArray,
        fileName: String,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): MealImageAccepted = execute(mealImageCall(userId, bytes, fileName, mealType, note, detectedAt))

    @JvmOverloads
    fun uploadMealImageAsync(
        userId: String,
        bytes: ByteArray,
        fileName: String,
        mealType: MealType? = null,
        note: String? = null,
        detectedAt: Instant? = null
    ): CompletableFuture<MealImageAccepted> = runAsync { mealImageCall(userId, bytes, fileName, mealType, note, detectedAt) }

    private fun mealImageCall(
        userId: String,
        bytes: ByteArray,
        fileName: String,
        mealType: MealType?,
        note: String?,
        detectedAt: Instant?
    ): Call<MealImageAccepted> {
        val form = Multipart()
        form.file("file", fileName, Multipart.imageType(bytes, fileName), bytes)
        if (mealType != null) form.field("meal_type", mealType.wire)
        if (note != null) form.field("note", note)
        if (detectedAt != null) form.field("detected_at", detectedAt.toString())
        val request = builder("/api/v1/nutrition/log/image", listOf("user_id" to userId))
            .header("Content-Type", form.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.build()))
            .build()
        return Call(request) { body -> Read.mealImage(Fields.of(body, "meal image")) }
    }

    /** A photo's bytes; a file that cannot be read is a [WearLinkException] with status 0 (no request was made). */
    private fun readFile(file: Path): ByteArray = try {
        Files.readAllBytes(file)
    } catch (e: IOException) {
        throw WearLinkException(0, "Could not read $file: ${e.javaClass.simpleName} ${e.message ?: ""}".trim(), null, null, e)
    }

    // ---- Users ----

    /**
     * One page of users, newest first. Page with [cursor] (the previous page's `pagination.nextCursor`) or by
     * [page] number; [limit] is 1–100 (default 50); [search] matches name, email and external id.
     */
    @JvmOverloads
    fun listUsers(limit: Int? = null, cursor: String? = null, page: Int? = null, search: String? = null): Page<User> =
        execute(listUsersCall(limit, cursor, page, search))

    @JvmOverloads
    fun listUsersAsync(
        limit: Int? = null,
        cursor: String? = null,
        page: Int? = null,
        search: String? = null
    ): CompletableFuture<Page<User>> = runAsync { listUsersCall(limit, cursor, page, search) }

    private fun listUsersCall(limit: Int?, cursor: String?, page: Int?, search: String?) = Call(
        get(
            "/api/v1/users",
            listOf("limit" to limit?.toString(), "cursor" to cursor, "page" to page?.toString(), "search" to search)
        )
    ) { body -> Read.page(Fields.of(body, "users")) { Read.user(it) } }

    fun getUser(userId: String): User = execute(getUserCall(userId))

    fun getUserAsync(userId: String): CompletableFuture<User> = runAsync { getUserCall(userId) }

    private fun getUserCall(userId: String) =
        Call(get("/api/v1/users/${encode(userId)}")) { body -> Read.user(Fields.of(body, "user")) }

    /** Creates a user; every field is optional. [externalId] is your own id, unique within your account (409 if not). */
    @JvmOverloads
    fun createUser(
        firstName: String? = null,
        lastName: String? = null,
        email: String? = null,
        externalId: String? = null,
        timezone: String? = null
    ): User = execute(createUserCall(firstName, lastName, email, externalId, timezone))

    @JvmOverloads
    fun createUserAsync(
        firstName: String? = null,
        lastName: String? = null,
        email: String? = null,
        externalId: String? = null,
        timezone: String? = null
    ): CompletableFuture<User> = runAsync { createUserCall(firstName, lastName, email, externalId, timezone) }

    private fun createUserCall(
        firstName: String?,
        lastName: String?,
        email: String?,
        externalId: String?,
        timezone: String?
    ): Call<User> {
        val fields = LinkedHashMap<String, Any?>()
        if (firstName != null) fields["first_name"] = firstName
        if (lastName != null) fields["last_name"] = lastName
        if (email != null) fields["email"] = email
        if (externalId != null) fields["external_id"] = externalId
        if (timezone != null) fields["timezone"] = timezone
        return Call(json("POST", "/api/v1/users", fields)) { body -> Read.user(Fields.of(body, "user")) }
    }

    /** Deletes a user and all their data. */
    fun deleteUser(userId: String) {
        execute(deleteUserCall(userId))
    }

    fun deleteUserAsync(userId: String): CompletableFuture<Void?> = runAsync { deleteUserCall(userId) }

    private fun deleteUserCall(userId: String) =
        Call<Void?>(builder("/api/v1/users/${encode(userId)}").DELETE().build()) { _ -> null }

    // ---- Health data ----

    /**
     * Samples of [types] (series types or groups such as `heart_rate`, `steps`, `blood_pressure`; all when
     * empty) between [from] and [to], raw or aggregated per [resolution] bucket. Page with [cursor].
     */
    @JvmOverloads
    fun timeseries(
        userId: String,
        types: List<String>,
        from: Instant,
        to: Instant,
        resolution: Resolution = Resolution.RAW,
        cursor: String? = null,
        limit: Int? = null
    ): Page<TimeseriesPoint> = execute(timeseriesCall(userId, types, from, to, resolution, cursor, limit))

    @JvmOverloads
    fun timeseriesAsync(
        userId: String,
        types: List<String>,
        from: Instant,
        to: Instant,
        resolution: Resolution = Resolution.RAW,
        cursor: String? = null,
        limit: Int? = null
    ): CompletableFuture<Page<TimeseriesPoint>> = runAsync { timeseriesCall(userId, types, from, to, resolution, cursor, limit) }

    private fun timeseriesCall(
        userId: String,
        types: List<String>,
        from: Instant,
        to: Instant,
        resolution: Resolution,
        cursor: String?,
        limit: Int?
    ) = Call(
        get(
            "/api/v1/users/${encode(userId)}/timeseries",
            listOf(
                "start_time" to from.toString(),
                "end_time" to to.toString(),
                "types" to (if (types.isEmpty()) null else types.joinToString(",")),
                "resolution" to resolution.wire,
                "cursor" to cursor,
                "limit" to limit?.toString()
            )
        )
    ) { body -> Read.page(Fields.of(body, "timeseries")) { Read.point(it) } }

    /** Workouts that started on UTC days [dateFrom] to [dateTo] inclusive. Page with [cursor]. */
    @JvmOverloads
    fun workouts(userId: String, dateFrom: LocalDate, dateTo: LocalDate, cursor: String? = null, limit: Int? = null): Page<Workout> =
        execute(workoutsCall(userId, dateFrom, dateTo, cursor, limit))

    @JvmOverloads
    fun workoutsAsync(
        userId: String,
        dateFrom: LocalDate,
        dateTo: LocalDate,
        cursor: String? = null,
        limit: Int? = null
    ): CompletableFuture<Page<Workout>> = runAsync { workoutsCall(userId, dateFrom, dateTo, cursor, limit) }

    private fun workoutsCall(userId: String, dateFrom: LocalDate, dateTo: LocalDate, cursor: String?, limit: Int?) =
        Call(get("/api/v1/users/${encode(userId)}/events/workouts", eventQuery(dateFrom, dateTo, cursor, limit))) { body ->
            Read.page(Fields.of(body, "workouts")) { Read.workout(it) }
        }

    /** Sleep sessions and naps that started on UTC days [dateFrom] to [dateTo] inclusive. Page with [cursor]. */
    @JvmOverloads
    fun sleep(userId: String, dateFrom: LocalDate, dateTo: LocalDate, cursor: String? = null, limit: Int? = null): Page<SleepSession> =
        execute(sleepCall(userId, dateFrom, dateTo, cursor, limit))

    @JvmOverloads
    fun sleepAsync(
        userId: String,
        dateFrom: LocalDate,
        dateTo: LocalDate,
        cursor: String? = null,
        limit: Int? = null
    ): CompletableFuture<Page<SleepSession>> = runAsync { sleepCall(userId, dateFrom, dateTo, cursor, limit) }

    private fun sleepCall(userId: String, dateFrom: LocalDate, dateTo: LocalDate, cursor: String?, limit: Int?) =
        Call(get("/api/v1/users/${encode(userId)}/events/sleep", eventQuery(dateFrom, dateTo, cursor, limit))) { body ->
            Read.page(Fields.of(body, "sleep")) { Read.sleep(it) }
        }

    private fun eventQuery(dateFrom: LocalDate, dateTo: LocalDate, cursor: String?, limit: Int?) = listOf(
        "start_date" to dateFrom.toString(),
        "end_date" to dateTo.toString(),
        "cursor" to cursor,
        "limit" to limit?.toString()
    )

    // ---- Syncs ----

    /**
     * Starts a sync of one connection. One job runs per connection and mode: asking again while one runs
     * returns that job ([SyncTriggered.created] false). [force] syncs even when the connection synced recently.
     */
    @JvmOverloads
    fun triggerSync(connectionId: String, mode: SyncMode = SyncMode.INCREMENTAL, force: Boolean = false): SyncTriggered =
        execute(triggerCall(mapOf("connection_id" to connectionId), mode, force))

    @JvmOverloads
    fun triggerSyncAsync(
        connectionId: String,
        mode: SyncMode = SyncMode.INCREMENTAL,
        force: Boolean = false
    ): CompletableFuture<SyncTriggered> = runAsync { triggerCall(mapOf("connection_id" to connectionId), mode, force) }

    /** [triggerSync] for a user's connection to [provider] (for example `garmin`, `sandbox`). */
    @JvmOverloads
    fun triggerSyncFor(userId: String, provider: String, mode: SyncMode = SyncMode.INCREMENTAL, force: Boolean = false): SyncTriggered =
        execute(triggerCall(mapOf("user_id" to userId, "provider" to provider), mode, force))

    @JvmOverloads
    fun triggerSyncForAsync(
        userId: String,
        provider: String,
        mode: SyncMode = SyncMode.INCREMENTAL,
        force: Boolean = false
    ): CompletableFuture<SyncTriggered> =
        runAsync { triggerCall(mapOf("user_id" to userId, "provider" to provider), mode, force) }

    private fun triggerCall(target: Map<String, String>, mode: SyncMode, force: Boolean): Call<SyncTriggered> {
        val fields = LinkedHashMap<String, Any?>(target)
        fields["mode"] = mode.wire
        fields["force"] = force
        return Call(json("POST", "/api/v1/sync", fields)) { body -> Read.syncTriggered(Fields.of(body, "sync")) }
    }

    /** A sync job's progress, stage and estimated completion. */
    fun syncStatus(jobId: String): SyncJobStatus = execute(syncStatusCall("job_id", jobId))

    fun syncStatusAsync(jobId: String): CompletableFuture<SyncJobStatus> = runAsync { syncStatusCall("job_id", jobId) }

    /** The latest sync job of a connection. */
    fun syncStatusOfConnection(connectionId: String): SyncJobStatus = execute(syncStatusCall("connection_id", connectionId))

    fun syncStatusOfConnectionAsync(connectionId: String): CompletableFuture<SyncJobStatus> =
        runAsync { syncStatusCall("connection_id", connectionId) }

    private fun syncStatusCall(name: String, value: String) =
        Call(get("/api/v1/sync/status", listOf(name to value))) { body -> Read.syncStatus(Fields.of(body, "sync status")) }

    // ---- Transport ----

    /** A prepared request and how to read its successful response's JSON body. */
    private class Call<T>(val request: HttpRequest, val read: (Any?) -> T)

    private fun builder(path: String, query: List<Pair<String, String?>> = emptyList()): HttpRequest.Builder {
        val url = StringBuilder(baseUrl).append(path)
        var first = true
        for ((name, value) in query) {
            if (value == null) continue
            url.append(if (first) '?' else '&').append(encode(name)).append('=').append(encode(value))
            first = false
        }
        return HttpRequest.newBuilder(URI.create(url.toString()))
            .timeout(requestTimeout)
            .header("X-WearLink-API-Key", apiKey)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
    }

    private fun get(path: String, query: List<Pair<String, String?>> = emptyList()): HttpRequest =
        builder(path, query).GET().build()

    private fun json(method: String, path: String, body: Any?): HttpRequest =
        builder(path)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(Json.stringify(body), StandardCharsets.UTF_8))
            .build()

    private fun <T> execute(call: Call<T>): T {
        val response = try {
            httpClient.send(call.request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        } catch (e: IOException) {
            throw transportError(call.request, e)
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw WearLinkException(0, "Interrupted while calling ${call.request.method()} ${call.request.uri().path}", null, null, e)
        }
        return handle(call, response)
    }

    private fun <T> runAsync(prepare: () -> Call<T>): CompletableFuture<T> {
        val result = CompletableFuture<T>()
        val call: Call<T>
        try {
            call = prepare()
        } catch (e: RuntimeException) {
            result.completeExceptionally(e)
            return result
        }
        httpClient.sendAsync(call.request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
            .whenComplete { response, error ->
                try {
                    if (error != null) {
                        val cause = if (error is java.util.concurrent.CompletionException && error.cause != null) error.cause!! else error
                        result.completeExceptionally(transportError(call.request, cause))
                    } else {
                        result.complete(handle(call, response))
                    }
                } catch (e: Throwable) {
                    result.completeExceptionally(e)
                }
            }
        return result
    }

    private fun transportError(request: HttpRequest, cause: Throwable): WearLinkException {
        val what = cause.message ?: cause.javaClass.simpleName
        return WearLinkException(0, "${request.method()} ${request.uri().path}: $what", null, null, cause)
    }

    private fun <T> handle(call: Call<T>, response: HttpResponse<String>): T {
        val status = response.statusCode()
        val text = response.body() ?: ""
        if (status < 200 || status > 299) {
            throw WearLinkException.fromResponse(status, text, response.headers().firstValue("Retry-After").orElse(null))
        }
        try {
            val parsed = if (text.length == 0) null else Json.parse(text)
            return call.read(parsed)
        } catch (e: JsonParseException) {
            throw WearLinkException(status, "Unexpected response: ${e.message}", "unexpected_response", text, e)
        } catch (e: ResponseShapeException) {
            throw WearLinkException(status, "Unexpected response: ${e.message}", "unexpected_response", text, e)
        }
    }
}

/** A multipart/form-data body, built by hand (RFC 7578). */
internal class Multipart {
    private val boundary = "----WearLinkBoundary" + UUID.randomUUID().toString().replace("-", "")
    private val out = ByteArrayOutputStream()

    companion object {
        private val CRLF = "\r\n".toByteArray(StandardCharsets.US_ASCII)

        /** A parameter value in a Content-Disposition header: quotes and line breaks percent-encoded (as browsers do). */
        fun quote(value: String): String =
            "\"" + value.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A") + "\""

        /** The media type of an image by its first bytes (the server judges by content too), else by its name. */
        fun imageType(bytes: ByteArray, fileName: String): String {
            fun at(i: Int): Int = if (i < bytes.size) bytes[i].toInt() and 0xFF else -1
            if (at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF) return "image/jpeg"
            if (at(0) == 0x89 && at(1) == 0x50 && at(2) == 0x4E && at(3) == 0x47) return "image/png"
            if (at(4) == 0x66 && at(5) == 0x74 && at(6) == 0x79 && at(7) == 0x70) return "image/heic"
            val dot = fileName.lastIndexOf('.')
            val ext = if (dot < 0) "" else fileName.substring(dot + 1)
            return when {
                ext.equals("jpg", true) || ext.equals("jpeg", true) -> "image/jpeg"
                ext.equals("png", true) -> "image/png"
                ext.equals("heic", true) || ext.equals("heif", true) -> "image/heic"
                else -> "application/octet-stream"
            }
        }
    }

    fun contentType(): String = "multipart/form-data; boundary=$boundary"

    private fun text(s: String) = out.write(s.toByteArray(StandardCharsets.UTF_8))

    fun field(name: String, value: String) {
        text("--$boundary\r\nContent-Disposition: form-data; name=${quote(name)}\r\n\r\n")
        text(value)
        out.write(CRLF)
    }

    fun file(name: String, fileName: String, contentType: String, bytes: ByteArray) {
        text("--$boundary\r\nContent-Disposition: form-data; name=${quote(name)}; filename=${quote(fileName)}\r\n")
        text("Content-Type: $contentType\r\n\r\n")
        out.write(bytes)
        out.write(CRLF)
    }

    fun build(): ByteArray {
        text("--$boundary--\r\n")
        return out.toByteArray()
    }
}
