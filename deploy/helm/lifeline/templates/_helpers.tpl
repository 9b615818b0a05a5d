{{/* Every object is named lifeline-operator, as in deploy/manifests/ (one operator per cluster). */}}
{{- define "lifeline.name" -}}lifeline-operator{{- end -}}

{{/* The labels of deploy/manifests/ plus Helm's own (HelmChartIT ignores only the latter when comparing). */}}
{{- define "lifeline.labels" -}}
app.kubernetes.io/name: lifeline-operator
app.kubernetes.io/part-of: lifeline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lifeline.selector" -}}
app.kubernetes.io/name: lifeline-operator
{{- end -}}

{{- define "lifeline.region" -}}
{{- required "region is required: the AWS region of this cluster, e.g. --set region=eu-west-1" .Values.region -}}
{{- end -}}
