package io.wearlink.sdk

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset
import java.util.UUID
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

/**
 * Exercises every public method of the SDK against a running WearLink server, asserting the results.
 * Exits 0 when all checks pass, 1 with a message on the first failure.
 *
 * Environment:
 * - WEARLINK_URL: the server, for example http://127.0.0.1:8000
 * - WEARLINK_API_KEY: a developer's API key
 * - WEARLINK_USER_ID: a user of that developer with a synced `sandbox` connection (data in the last 30 days)
 * - WEARLINK_IMAGE: a real JPEG or PNG photo
 * - WEARLINK_CHECK_QUOTA=1 (optional): also upload until the daily photo quota refuses (429 quota_exceeded).
 *   This uses up the developer's photo quota for the day: only for a throwaway developer.
 */
fun main(args: Array<String>) {
    val started = System.nanoTime()
    try {
        JsonCheck.run()
        OfflineCheck.run()
        LiveCheck(
            env("WEARLINK_URL"),
            env("WEARLINK_API_KEY"),
            env("WEARLINK_USER_ID"),
            File(env("WEARLINK_IMAGE")),
            System.getenv("WEARLINK_CHECK_QUOTA") == "1"
        ).run()
    } catch (e: Throwable) {
        System.err.println("SdkCheck FAILED after ${Check.passed} passed checks: $e")
        e.printStackTrace()
        exitProcess(1)
    }
    val ms = (System.nanoTime() - started) / 1_000_000
    println("SdkCheck OK: ${Check.passed} checks passed in $ms ms")
    exitProcess(0)
}

private fun env(name: String): String {
    val value = System.getenv(name)
    if (value == null || value.isBlank()) throw IllegalStateException("Set $name")
    return value
}

/** The cause a failed future carries. */
private fun <T> failureOf(what: String, future: java.util.concurrent.CompletableFuture<T>): Throwable {
    try {
        future.get(60, TimeUnit.SECONDS)
    } catch (e: ExecutionException) {
        return e.cause ?: e
    }
    throw AssertionError("$what: the future completed normally")
}

class LiveCheck(
    private val url: String,
    private val apiKey: String,
    private val userId: String,
    private val image: File,
    private val checkQuota: Boolean
) {
    private val client = WearLinkClient(apiKey, url)
    private val today = LocalDate.now(ZoneOffset.UTC)
    private val from = today.minusDays(45)
    private val to = today.plusDays(1)
    private val runTag = UUID.randomUUID().toString().substring(0, 8)

    fun run() {
        providers()
        val connectionId = connections()
        summaries()
        timeseries()
        workouts()
        sleep()
        syncs(connectionId)
        users()
        meals()
        errors()
        if (checkQuota) quota()
    }

    private fun step(name: String) = println("SdkCheck: $name")

    private fun providers() {
        step("listProviders")
        val providers = client.listProviders()
        Check.that(providers.size >= 2) { "providers: ${providers.size}" }
        val sandbox = providers.firstOrNull { it.slug == "sandbox" } ?: throw AssertionError("no sandbox in $providers")
        Check.that(sandbox.isConfigured && sandbox.available && sandbox.kind == "builtin") { "sandbox entry: $sandbox" }
        Check.that(sandbox.capabilities != null && sandbox.capabilities.pull) { "sandbox capabilities: ${sandbox.capabilities}" }
        Check.that(!sandbox.resources.isNullOrEmpty() && sandbox.resources[0].families.contains("workouts")) { "sandbox resources" }
        val oauth = providers.firstOrNull { it.kind == "oauth" } ?: throw AssertionError("no OAuth provider")
        Check.that(oauth.callbackUrl != null && oauth.callbackUrl.contains("/callback")) { "OAuth callback URL: $oauth" }
        Check.equal(providers, client.listProvidersAsync().get(30, TimeUnit.SECONDS), "listProvidersAsync")
    }

    private fun connections(): String {
        step("connectionsFor")
        val connections = client.connectionsFor(userId)
        val sandbox = connections.firstOrNull { it.provider == "sandbox" } ?: throw AssertionError("no sandbox connection: $connections")
        Check.equal(userId, sandbox.userId, "connection user")
        Check.equal("active", sandbox.status, "connection status")
        Check.that(sandbox.lastSyncedAt != null) { "the connection has synced: $sandbox" }
        Check.equal(connections.map { it.id }, client.connectionsForAsync(userId).get(30, TimeUnit.SECONDS).map { it.id }, "connectionsForAsync")
        return sandbox.id
    }

    private fun summaries() {
        step("summariesFor")
        val days = client.summariesFor(userId, from, today)
        Check.that(days.size >= 20) { "daily summaries: ${days.size}" }
        for (day in days) {
            val date = LocalDate.parse(day.date)
            Check.that(!date.isBefore(from) && !date.isAfter(today)) { "day ${day.date} outside $from..$today" }
        }
        Check.that(days.any { (it.steps ?: 0.0) > 0 }) { "some day has steps" }
        Check.that(days.any { it.heartRate.avgBpm != null }) { "some day has heart rate" }
        Check.that(days.any { it.sources.isNotEmpty() && it.sources.values.first().isNotEmpty() }) { "sources per metric" }
        val async = client.summariesForAsync(userId, from, today).get(30, TimeUnit.SECONDS)
        Check.equal(days, async, "summariesForAsync")
    }

    private fun timeseries() {
        step("timeseries")
        val start = Instant.now().minus(Duration.ofDays(45))
        val end = Instant.now().plus(Duration.ofDays(1))
        val hourly = client.timeseries(userId, listOf("heart_rate"), start, end, Resolution.ONE_HOUR, null, 5)
        Check.equal(5, hourly.data.size, "hourly heart-rate page size")
        Check.that(hourly.pagination.hasMore && hourly.pagination.nextCursor != null) { "more hourly pages: ${hourly.pagination}" }
        for (p in hourly.data) {
            Check.equal("heart_rate", p.seriesType, "series type")
            Check.equal("avg", p.aggregation, "aggregation")
            Check.that(p.min != null && p.max != null && p.min <= p.value && p.value <= p.max) { "min <= avg <= max: $p" }
            Check.that((p.count ?: 0L) > 0L) { "bucket count: $p" }
            Check.equal("sandbox", p.source.provider, "point source")
        }
        val next = client.timeseries(userId, listOf("heart_rate"), start, end, Resolution.ONE_HOUR, hourly.pagination.nextCursor, 5)
        Check.that(next.data.isNotEmpty() && next.data.none { n -> hourly.data.any { it.id == n.id } }) { "second page is new points" }
        val raw = client.timeseriesAsync(userId, listOf("heart_rate", "steps"), start, end, Resolution.RAW, null, 20).get(30, TimeUnit.SECONDS)
        Check.equal(20, raw.data.size, "raw page size")
        Check.that(raw.data.all { it.aggregation == null && (it.seriesType == "heart_rate" || it.seriesType == "steps") }) {
            "raw samples of the asked types: ${raw.data.map { it.seriesType }.toSet()}"
        }
        val all = client.timeseriesAsync(userId, emptyList(), start, end).get(30, TimeUnit.SECONDS)
        Check.that(all.data.isNotEmpty()) { "all types with defaults" }
        Check.equal(all, client.timeseries(userId, emptyList(), start, end), "timeseries defaults")
    }

    private fun workouts() {
        step("workouts")
        val page = client.workouts(userId, from, to, null, 2)
        Check.equal(2, page.data.size, "workouts page size")
        Check.that(page.pagination.totalCount > 2 && page.pagination.hasMore) { "workout pagination: ${page.pagination}" }
        for (w in page.data) {
            Check.that(w.durationSeconds > 0 && w.type.isNotEmpty() && w.source.provider == "sandbox") { "workout: $w" }
            Check.that(Instant.parse(w.endTime).isAfter(Instant.parse(w.startTime))) { "workout times: $w" }
        }
        val second = client.workoutsAsync(userId, from, to, page.pagination.nextCursor, 2).get(30, TimeUnit.SECONDS)
        Check.that(second.data.isNotEmpty() && second.data.none { s -> page.data.any { it.id == s.id } }) { "second workout page" }
        val everything = client.workouts(userId, from, to)
        Check.equal(page.pagination.totalCount, everything.pagination.totalCount, "total count is stable")
        Check.equal(everything, client.workoutsAsync(userId, from, to).get(30, TimeUnit.SECONDS), "workoutsAsync defaults")
    }

    private fun sleep() {
        step("sleep")
        val page = client.sleep(userId, from, to, null, 3)
        Check.equal(3, page.data.size, "sleep page size")
        for (s in page.data) {
            Check.that(s.sleepDurationSeconds > 0 && s.durationSeconds >= s.sleepDurationSeconds) { "sleep durations: $s" }
            val staged = s.stages.lightMinutes + s.stages.deepMinutes + s.stages.remMinutes
            Check.that(staged > 0) { "sleep stages: ${s.stages}" }
            Check.that(s.timeline.isNotEmpty()) { "sleep timeline" }
        }
        val second = client.sleepAsync(userId, from, to, page.pagination.nextCursor, 3).get(30, TimeUnit.SECONDS)
        Check.that(second.data.isNotEmpty() && second.data.none { s -> page.data.any { it.id == s.id } }) { "second sleep page" }
        Check.equal(client.sleep(userId, from, to), client.sleepAsync(userId, from, to).get(30, TimeUnit.SECONDS), "sleepAsync defaults")
    }

    private fun waitFor(jobId: String): SyncJobStatus {
        val deadline = System.currentTimeMillis() + 60_000
        while (true) {
            val status = client.syncStatus(jobId)
            if (status.isFinished) return status
            if (System.currentTimeMillis() > deadline) throw AssertionError("sync $jobId still ${status.status}")
            Thread.sleep(100)
        }
    }

    private fun syncs(connectionId: String) {
        step("triggerSync / syncStatus")
        val triggered = client.triggerSync(connectionId)
        Check.equal(connectionId, triggered.connectionId, "triggered connection")
        Check.that(triggered.jobId.isNotEmpty()) { "job id" }
        val done = waitFor(triggered.jobId)
        Check.equal("completed", done.status, "incremental sync status (${done.message}, ${done.error})")
        Check.equal(100.0, done.progress.percentage, "progress")
        Check.equal(connectionId, done.connectionId, "status connection")

        val forced = client.triggerSyncAsync(connectionId, SyncMode.HISTORICAL, true).get(30, TimeUnit.SECONDS)
        Check.that(forced.created) { "a historical sync starts: $forced" }
        val again = client.triggerSyncFor(userId, "sandbox", SyncMode.HISTORICAL)
        Check.equal(connectionId, again.connectionId, "by user and provider")
        val viaAsync = client.syncStatusAsync(forced.jobId).get(30, TimeUnit.SECONDS)
        Check.equal(forced.jobId, viaAsync.jobId, "syncStatusAsync")
        Check.equal("completed", waitFor(forced.jobId).status, "historical sync")
        if (again.jobId != forced.jobId) Check.equal("completed", waitFor(again.jobId).status, "second historical sync")

        val latestFor = client.triggerSyncForAsync(userId, "sandbox").get(30, TimeUnit.SECONDS)
        Check.equal("completed", waitFor(latestFor.jobId).status, "incremental sync by user and provider")
        val latest = client.syncStatusOfConnection(connectionId)
        Check.equal(connectionId, latest.connectionId, "syncStatusOfConnection")
        Check.that(latest.isFinished) { "latest job finished: $latest" }
        Check.equal(latest.jobId, client.syncStatusOfConnectionAsync(connectionId).get(30, TimeUnit.SECONDS).jobId, "syncStatusOfConnectionAsync")
    }

    private fun users() {
        step("users")
        val email = "kotlin-$runTag@example.com"
        val created = client.createUser("Kotlin", "Check", email, "kt-$runTag", "Europe/Berlin")
        Check.equal("Kotlin", created.firstName, "first name")
        Check.equal("Check", created.lastName, "last name")
        Check.equal(email, created.email, "email")
        Check.equal("kt-$runTag", created.externalId, "external id")
        Check.equal("Europe/Berlin", created.timezone, "timezone")
        val bare = client.createUserAsync().get(30, TimeUnit.SECONDS)
        Check.that(bare.firstName == null && bare.email == null) { "a user without fields: $bare" }
        val named = client.createUserAsync(firstName = "Async", externalId = "kt2-$runTag").get(30, TimeUnit.SECONDS)
        Check.equal("Async", named.firstName, "async create")
        val conflict = Check.throws<ConflictException>("a duplicate external_id") { client.createUser(externalId = "kt-$runTag") }
        Check.equal(409, conflict.status, "409 status")

        Check.equal(created, client.getUser(created.id), "getUser")
        Check.equal(named, client.getUserAsync(named.id).get(30, TimeUnit.SECONDS), "getUserAsync")

        val first = client.listUsers(1)
        Check.equal(1, first.data.size, "page of one")
        Check.equal(1, first.pagination.limit, "pagination limit")
        Check.equal(1, first.pagination.page, "pagination page")
        Check.that(first.pagination.totalCount >= 4 && first.pagination.hasMore) { "user pagination: ${first.pagination}" }
        val byCursor = client.listUsers(1, first.pagination.nextCursor)
        val byPage = client.listUsersAsync(1, null, 2).get(30, TimeUnit.SECONDS)
        Check.that(byCursor.data[0].id != first.data[0].id) { "the cursor moves on" }
        Check.equal(byCursor.data, byPage.data, "page 2 by cursor and by number")
        Check.equal(2, byPage.pagination.page, "page number")
        // Walk every page with the cursor: each user once.
        val seen = ArrayList<String>()
        var cursor: String? = null
        do {
            val page = client.listUsers(2, cursor)
            seen.addAll(page.data.map { it.id })
            cursor = page.pagination.nextCursor
        } while (page.pagination.hasMore)
        Check.equal(first.pagination.totalCount.toInt(), seen.size, "all users walked")
        Check.equal(seen.size, seen.toSet().size, "no user twice")
        Check.that(seen.containsAll(listOf(userId, created.id, bare.id, named.id))) { "the walk saw every user" }
        val found = client.listUsers(search = email)
        Check.equal(listOf(created.id), found.data.map { it.id }, "search by email")
        Check.equal(listOf(created.id), client.listUsersAsync(search = "kotlin-$runTag").get(30, TimeUnit.SECONDS).data.map { it.id }, "async search")

        client.deleteUser(created.id)
        val gone = Check.throws<NotFoundException>("a deleted user") { client.getUser(created.id) }
        Check.equal(404, gone.status, "404 status")
        client.deleteUserAsync(bare.id).get(30, TimeUnit.SECONDS)
        Check.that(failureOf("getUserAsync of a deleted user", client.getUserAsync(bare.id)) is NotFoundException) { "async 404" }
        client.deleteUser(named.id)
    }

    /** A meal log as the API keeps it (not an SDK method: checks that the multipart fields arrived). */
    private fun mealLog(logId: String): Map<*, *> {
        val request = HttpRequest.newBuilder(URI.create("$url/api/v1/nutrition/log/$logId?user_id=$userId"))
            .header("X-WearLink-API-Key", apiKey)
            .build()
        val response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
        Check.equal(200, response.statusCode(), "meal log lookup (${response.body()})")
        return Json.parse(response.body()) as Map<*, *>
    }

    private fun meals() {
        step("uploadMealImage")
        val bytes = image.readBytes()
        Check.that(bytes.size > 100) { "the image ${image.path} is real (${bytes.size} bytes)" }
        val eatenAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        val fromFile = client.uploadMealImage(userId, image, MealType.LUNCH, "dal and rice", eatenAt)
        Check.equal("pending", fromFile.status, "upload status")
        Check.that(fromFile.logId.length == 36 && fromFile.jobId.isNotEmpty()) { "upload ids: $fromFile" }
        val log = mealLog(fromFile.logId)
        Check.equal("lunch", log["meal_type"], "meal_type arrived")
        Check.equal(userId, log["user_id"], "log user")
        Check.that(log.values.contains("dal and rice") || Json.stringify(log).contains("dal and rice")) { "note arrived: $log" }

        val fromPath = client.uploadMealImageAsync(userId, image.toPath(), MealType.DINNER).get(30, TimeUnit.SECONDS)
        Check.equal("dinner", mealLog(fromPath.logId)["meal_type"], "async Path upload")
        val plain = client.uploadMealImage(userId, image.toPath())
        Check.equal("pending", plain.status, "Path upload without fields")
        val fromBytes = client.uploadMealImage(userId, bytes, "camera capture.${image.extension}", MealType.SNACK)
        Check.equal("snack", mealLog(fromBytes.logId)["meal_type"], "bytes upload")
        val asyncBytes = client.uploadMealImageAsync(userId, bytes, "capture", MealType.BREAKFAST).get(30, TimeUnit.SECONDS)
        Check.equal("breakfast", mealLog(asyncBytes.logId)["meal_type"], "async bytes upload (type from content)")
        val asyncFile = client.uploadMealImageAsync(userId, image).get(30, TimeUnit.SECONDS)
        Check.equal("pending", asyncFile.status, "async File upload")
        Check.that(setOf(fromFile.logId, fromPath.logId, plain.logId, fromBytes.logId, asyncBytes.logId, asyncFile.logId).size == 6) { "six logs" }

        // Not a photo: the server judges by content (415), a plain WearLinkException.
        val notImage = Check.throws<WearLinkException>("a text file as a photo") {
            client.uploadMealImage(userId, "just text, not a photo".toByteArray(), "meal.jpg")
        }
        Check.equal(415, notImage.status, "415 for a non-image")
        val missing = failureOf("a missing file", client.uploadMealImageAsync(userId, File(image.parentFile, "no-such-$runTag.jpg")))
        Check.that(missing is WearLinkException && missing.status == 0) { "a missing file fails the future: $missing" }
    }

    private fun errors() {
        step("errors")
        val unknown = UUID.randomUUID().toString()
        val notFound = Check.throws<NotFoundException>("an unknown user") { client.getUser(unknown) }
        Check.equal("User not found", notFound.detail, "404 detail")
        Check.that(failureOf("connectionsForAsync of an unknown user", client.connectionsForAsync(unknown)) is NotFoundException) { "async 404" }
        Check.throws<NotFoundException>("an unknown sync job") { client.syncStatus("no-such-job-$runTag") }
        Check.throws<NotFoundException>("another tenant's or unknown user's upload") {
            client.uploadMealImage(unknown, image, MealType.OTHER)
        }

        val invalid = Check.throws<ValidationException>("a user id that is no UUID") { client.getUser("not-a-uuid") }
        Check.equal(422, invalid.status, "422 status")
        Check.equal(listOf("path", "user_id"), invalid.errors[0].loc, "422 loc")
        Check.that(invalid.detail.contains("user_id")) { "422 detail: ${invalid.detail}" }
        val range = Check.throws<ValidationException>("a range over 366 days") {
            client.summariesFor(userId, today.minusDays(400), today)
        }
        Check.that(range.errors.isNotEmpty() && range.errors[0].msg.contains("366")) { "range error: ${range.errors}" }
        val badLimit = failureOf("limit 0", client.listUsersAsync(0))
        Check.that(badLimit is ValidationException && badLimit.errors[0].loc.contains("limit")) { "async 422: $badLimit" }

        val wrongKey = WearLinkClient("sk-wrong-$runTag", url)
        val unauthorized = Check.throws<UnauthorizedException>("a wrong API key") { wrongKey.listUsers() }
        Check.equal(401, unauthorized.status, "401 status")
        Check.that(failureOf("async with a wrong key", wrongKey.listProvidersAsync().thenApply { it.size }) is UnauthorizedException) { "async 401" }

        val nowhere = WearLinkClient(apiKey, "http://127.0.0.1:1", requestTimeout = Duration.ofSeconds(5))
        val down = Check.throws<WearLinkException>("no server") { nowhere.listProviders() }
        Check.equal(0, down.status, "status 0 when nothing answers")
        val downAsync = failureOf("no server, async", nowhere.getUserAsync(userId))
        Check.that(downAsync is WearLinkException && downAsync.status == 0) { "async transport error: $downAsync" }
    }

    private fun quota() {
        step("429 quota_exceeded")
        val bytes = image.readBytes()
        var refusal: RateLimitException? = null
        var accepted = 0
        while (refusal == null) {
            try {
                client.uploadMealImage(userId, bytes, "quota.jpg")
                accepted++
                Check.that(accepted <= 10_000) { "no quota after $accepted photos" }
            } catch (e: RateLimitException) {
                refusal = e
            }
        }
        val e: RateLimitException = refusal
        Check.equal(429, e.status, "429 status")
        Check.equal("quota_exceeded", e.code, "429 code")
        Check.that(e.detail.contains("quota")) { "429 detail: ${e.detail}" }
        Check.that(e.retryAfter != null && e.retryAfter.seconds in 1..86_400) { "429 Retry-After: ${e.retryAfter}" }
        val async = failureOf("async upload over quota", client.uploadMealImageAsync(userId, bytes, "quota.jpg"))
        Check.that(async is RateLimitException && async.code == "quota_exceeded") { "async 429: $async" }
    }
}
