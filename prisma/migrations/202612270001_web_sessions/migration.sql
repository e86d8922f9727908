-- Web view (issue 17): Sign in with Slack attempts (single-use state) and server-side sessions.
CREATE TABLE "WebLoginState" (
    "id" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "returnTo" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "WebLoginState_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "WebSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "userName" TEXT,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "WebSession_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "WebSession_userId_idx" ON "WebSession"("userId");
