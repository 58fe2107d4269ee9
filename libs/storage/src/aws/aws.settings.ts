/** The aws provider's settings (TATUM_KMS_AWS_*), read by `AWS_STORAGE.parse`. */
export interface AwsSettings {
  awsRegion?: string;
  /** Secrets Manager endpoint override, e.g. a local fake or a VPC endpoint (TATUM_KMS_AWS_ENDPOINT). */
  awsEndpoint?: string;
  /** The secret holding the store password (--aws) and the key of the password in its JSON. */
  awsSecretName?: string;
  awsSecretKey?: string;
  /** Static credentials; both or neither (then the default AWS credential provider chain). */
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
}
