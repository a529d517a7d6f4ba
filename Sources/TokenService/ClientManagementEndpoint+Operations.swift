import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore

/// The management operations: body checks on the loop, the store work as a closure for
/// the worker pool.
extension ClientManagementEndpoint {
    func prepare(_ operation: Operation, request: HTTPServerRequest,
                 caller: VerifiedToken) -> Result<@Sendable () -> HTTPServerResponse, Refusal> {
        let orgID = caller.orgID
        let audit = AuditContext(actor: "client:" + caller.clientID,
                                 requestID: request.requestID.isEmpty ? nil : request.requestID)
        switch operation {
        case .list:
            return .success { [self] in list(orgID: orgID) }
        case .show(let id):
            return .success { [self] in show(id, orgID: orgID) }
        case .create:
            guard ManagementBody.isJSON(request) else {
                return .failure(Refusal(response: problem(415, "Send the body as Content-Type: application/json.")))
            }
            let body: ClientRequest
            do throws(ClientRequest.Invalid) {
                body = try ManagementBody.clientRequest(request.body)
            } catch {
                return .failure(invalid(error))
            }
            return .success { [self] in create(body, orgID: orgID, audit: audit) }
        case .revoke(let id):
            if !request.body.isEmpty, !ManagementBody.isJSON(request) {
                return .failure(Refusal(response: problem(415, "Send the body as Content-Type: application/json.")))
            }
            let reason: String?
            do throws(ClientRequest.Invalid) {
                reason = try ManagementBody.revokeReason(request.body)
            } catch {
                return .failure(invalid(error))
            }
            return .success { [self] in revoke(id, reason: reason ?? "unspecified", orgID: orgID, audit: audit) }
        case .rotateSecret(let id):
            return .success { [self] in rotate(id, orgID: orgID, audit: audit) }
        }
    }

    private func invalid(_ error: ClientRequest.Invalid) -> Refusal {
        Refusal(response: problem(400, "\(error.field): \(error.problem)", extensions: [("field", error.field)]))
    }

    // MARK: Blocking work (worker pool)

    func list(orgID: String) -> HTTPServerResponse {
        do {
            let clients = try administration.store.clients.list(orgID: orgID)
            return json(200, .object([("clients", .array(clients.map(\.publicJSON)))]))
        } catch {
            return storeError(error)
        }
    }

    func show(_ id: String, orgID: String) -> HTTPServerResponse {
        do {
            guard let client = try owned(id, orgID: orgID) else { return notFound(id) }
            return json(200, client.publicJSON)
        } catch {
            return storeError(error)
        }
    }

    func create(_ body: ClientRequest, orgID: String, audit: AuditContext) -> HTTPServerResponse {
        do {
            switch try administration.create(orgID: orgID, request: body, audit: audit) {
            case .created(let record, let secret):
                var headers = HTTPHeaders()
                headers.add(name: "Location", value: Self.basePath + "/" + record.clientID)
                return json(201, withSecret(record, secret), headers: headers)
            case .existing(let record):
                return json(200, record.publicJSON)
            case .conflict(let record):
                return problem(409, "external_id \(body.externalID ?? "") already names client \(record.clientID), "
                    + "created with different settings; use another external_id or repeat the original request",
                    extensions: [("client_id", record.clientID)])
            }
        } catch let error as ClientRequest.Invalid {
            return invalid(error).response
        } catch {
            return storeError(error)
        }
    }

    func revoke(_ id: String, reason: String, orgID: String, audit: AuditContext) -> HTTPServerResponse {
        do {
            guard try owned(id, orgID: orgID) != nil else { return notFound(id) }
            switch try administration.revoke(clientID: id, reason: reason, audit: audit) {
            case .revoked(let record), .alreadyRevoked(let record):
                return json(200, record.publicJSON)
            }
        } catch {
            return storeError(error)
        }
    }

    func rotate(_ id: String, orgID: String, audit: AuditContext) -> HTTPServerResponse {
        do {
            guard try owned(id, orgID: orgID) != nil else { return notFound(id) }
            let (record, secret) = try administration.rotateSecret(clientID: id, audit: audit)
            return json(200, withSecret(record, secret))
        } catch {
            return storeError(error)
        }
    }

    // MARK: Helpers

    /// The client `id` if it belongs to `orgID` (another org's client is "not found").
    private func owned(_ id: String, orgID: String) throws -> ClientRecord? {
        guard let client = try administration.store.clients.get(id), client.orgID == orgID else { return nil }
        return client
    }

    /// The client with its secret (shown once); a public client has none to show.
    private func withSecret(_ record: ClientRecord, _ secret: String?) -> JSONValue {
        var members = record.publicMembers
        if let secret { members.insert(("client_secret", .string(secret)), at: 1) }
        return .object(members)
    }

    private func notFound(_ id: String) -> HTTPServerResponse {
        problem(404, "No client \(String(id.prefix(128))) exists in your organisation.")
    }

    private func json(_ status: Int, _ value: JSONValue, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        var fields = headers
        fields.replaceOrAdd(name: "Cache-Control", value: "no-store")
        fields.replaceOrAdd(name: "Content-Type", value: "application/json")
        var body: [UInt8] = []
        value.serialize(into: &body)
        return HTTPServerResponse(status: status, headers: fields, body: body)
    }

    /// Maps a store or service failure to its answer.
    private func storeError(_ error: any Error) -> HTTPServerResponse {
        switch error {
        case StoreError.scopeOutsidePolicy(_, let scopes):
            return problem(400, "Scopes \(scopes.joined(separator: " ")) are outside your organisation's scope policy; "
                + "request only scopes the organisation allows.", extensions: [("error", "invalid_scope")])
        case StoreError.invalidState(let message):
            return problem(409, message)
        case StoreError.invalidArgument(let message), StoreError.notFound(let message):
            return problem(400, message)
        case StoreError.busy, StoreError.diskFull:
            return problem(503, "The store cannot take the change right now; retry shortly.", headers: ["Retry-After": "1"])
        case let error as TokenServiceError:
            return problem(400, error.description)
        default:
            Diagnostics.warn("client management: \(error)")
            return problem(500, "The change could not be made; the error was logged.")
        }
    }
}
